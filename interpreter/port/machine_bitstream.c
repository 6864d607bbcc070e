// machine.bitstream's port half (extmod/machine_bitstream.c has the rest):
// the pin becomes an output, as in ports/rp2/machine_bitstream.c, and the
// host hands the bytes to what is wired to it (a NeoPixel strip) and lets
// the stream's time pass on the board's clock.
#include "py/mphal.h"
#include "extmod/modmachine.h"

#if MICROPY_PY_MACHINE_BITSTREAM

void machine_bitstream_high_low(mp_hal_pin_obj_t pin, uint32_t *timing_ns, const uint8_t *buf, size_t len) {
    mp_hal_pin_output(pin);
    host_bitstream(pin, timing_ns, buf, len);
}

#endif
