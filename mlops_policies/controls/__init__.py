"""One package per catalog control (`sec_01` for SEC-01), one module per rule.

A control's directory holds everything about it: each rule's module (named after the policy without
its control prefix: `sec-01-kms-key-rotation` -> `kms_key_rotation.py`), the rule's pass/fail cases
beside it (`test_kms_key_rotation.py`), and the control's generated docs row (`README.md`).
Rules are discovered (`mlops_policies.packs.all_rules`), never listed by hand.
"""
