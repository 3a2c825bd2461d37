"""The AWS part of a tenant's landing zone (project mlops-landing-zone-aws): every AWS resource.

Runs from a hosted CI runner with OIDC credentials: it needs no network path to the cluster.
"""

from components.program import landing_zone_program

landing_zone_program()
