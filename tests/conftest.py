from kernel_fixtures import kernelspec  # noqa: F401  (a fixture)
