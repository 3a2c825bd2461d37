"""`python -m tenantctl.audit --stack NAME ...`: the audit on its own, before it is wired into tenantctl."""

import sys

from tenantctl.audit.cli import main

sys.exit(main(["audit", *sys.argv[1:]]))
