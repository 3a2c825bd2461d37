from mlops_policies.packs import REGULATED_PACK, build_pack

build_pack(REGULATED_PACK)
