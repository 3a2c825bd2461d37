from mlops_policies.packs import BASELINE_PACK, build_pack

build_pack(BASELINE_PACK)
