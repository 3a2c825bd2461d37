try:
    from mlops_policies.packs import BASELINE_PACK, build_pack
except ModuleNotFoundError as missing:  # the source folder handed to the CLI as it is
    raise SystemExit(
        f"mlops-baseline: {missing}. This is the pack's source folder: build the runnable one with "
        "`tenantctl packs build --out DIR` and use DIR/mlops-baseline"
    ) from None

build_pack(BASELINE_PACK)
