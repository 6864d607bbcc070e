from kernel_fixtures import kernelspec  # noqa: F401  (a fixture)
from transport_fixtures import board_port, board_repl, shared_board_repl  # noqa: F401  (fixtures)
