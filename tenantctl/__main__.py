"""`python -m tenantctl ...`: the same as the `tenantctl` console script."""

import sys

from tenantctl.cli import main

# Guarded: fleet workers are spawned and re-import the main module under another name.
if __name__ == "__main__":
    sys.exit(main())
