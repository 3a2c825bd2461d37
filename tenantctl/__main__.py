"""`python -m tenantctl ...`: the same as the `tenantctl` console script."""

from tenantctl.cli import entry

# Guarded: fleet workers are spawned and re-import the main module under another name.
if __name__ == "__main__":
    entry()
