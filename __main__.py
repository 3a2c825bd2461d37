"""The Pulumi program: one tenant's landing zone, from the stack's `landingzone:*` config.

This root project registers the whole landing zone in one stack (what the PR gate judges); the
projects in deploy/ run the same program for one half each (components.program, README "Deploying").
"""

from components.program import landing_zone_program

landing_zone_program()
