"""The hoster checklist as CrossGuard policies, shared by the mlops-baseline and mlops-regulated packs.

Importing this package never starts a policy server: `packs.build_pack` does, and only the packs'
`__main__.py` calls it.
"""
