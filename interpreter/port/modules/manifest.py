# Frozen into every board's firmware, as the real ports freeze them.
include("$(MPY_DIR)/extmod/asyncio")
