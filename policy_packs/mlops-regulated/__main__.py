try:
    from mlops_policies.packs import REGULATED_PACK, build_pack
except ModuleNotFoundError as missing:  # the source folder handed to the CLI as it is
    raise SystemExit(
        f"mlops-regulated: {missing}. This is the pack's source folder: build the runnable one with "
        "`tenantctl packs build --out DIR` and use DIR/mlops-regulated"
    ) from None

build_pack(REGULATED_PACK)
