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

#endif
