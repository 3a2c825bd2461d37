"""The Kubernetes part of a tenant's landing zone (project mlops-landing-zone-cluster).

Runs from a runner inside the tenant VPC (the cluster endpoint is private); reads the cluster's
endpoint from the AWS stack of the same name.
"""

from components.program import landing_zone_program

landing_zone_program()
