#ifndef BOARDLAB_MPHALPORT_H
#define BOARDLAB_MPHALPORT_H

#include "py/mpconfig.h"
#include "host.h"
#include "machine_pin.h"

void mp_hal_set_interrupt_char(int c);
// Hand buffered console output to the host now (before a reset, say).
void board_flush_stdout(void);

static inline mp_uint_t mp_hal_ticks_us(void) {
    return (mp_uint_t)host_ticks_us();
}
static inline mp_uint_t mp_hal_ticks_ms(void) {
    return (mp_uint_t)(host_ticks_us() / 1000);
}
static inline mp_uint_t mp_hal_ticks_cpu(void) {
    return (mp_uint_t)host_ticks_us();
}


// A short busy wait, as bit-banged buses (SoftI2C) time their edges: on
// the board's clock, without serving events (a virtual clock moves a
// little at each reading, so this ends too).
static inline void mp_hal_delay_us_fast(mp_uint_t us) {
    uint64_t end = host_ticks_us() + us;
    while (host_ticks_us() < end) {
    }
}

#endif
