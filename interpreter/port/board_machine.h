// What the machine module's port half (machine_*.c) gives the main loop and
// the HAL: handling the host's events for it, and deinit at soft reset.
#ifndef BOARDLAB_BOARD_MACHINE_H
#define BOARDLAB_BOARD_MACHINE_H

#include "py/mpconfig.h"
#include "host.h"

// A pin IRQ, a timer expiry, UART data: run or schedule its handler.
void board_machine_event(const host_event_t *event);
// The soft reset: IRQs, timers and peripherals the VM owned are released.
void board_machine_deinit(void);
// The CPU clock as machine.freq() set it: the PWM counts on it.
mp_uint_t board_machine_cpu_freq(void);
// The machine module's own part of it (modmachine.c).
void board_system_deinit(void);

#endif
