import sys

from tenantctl.onboarding.commands import main

sys.exit(main())
