"""Reports of a check run: terminal (rich), JSON, SARIF 2.1.0, JUnit XML and a Markdown PR comment.

Every report is built from `tenantctl.check.StackResult` values only, which carry no resource inputs,
so no report can print a secret the program handled.
"""
