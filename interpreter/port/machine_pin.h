// The pins: machine.Pin (machine_pin.c) and the HAL's pin functions that
// extmod's bit-banged drivers use (SoftI2C, SoftSPI, time_pulse_us, dht,
// onewire, bitstream). A pin is the host's pin number: the chip's GPIO, or
// after the chip's GPIOs a pin of another chip (the Pico W's wireless chip).
#ifndef BOARDLAB_MACHINE_PIN_H
#define BOARDLAB_MACHINE_PIN_H

#include "py/obj.h"
#include "host.h"

// Pins of another chip, numbered after the chip's own (mpconfigboard.h).
#ifndef MICROPY_BOARD_EXT_GPIO_COUNT
#define MICROPY_BOARD_EXT_GPIO_COUNT (0)
#endif

extern const mp_obj_type_t machine_pin_type;
mp_obj_t mp_pin_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args);

// The GPIO number of a Pin object, a pin number or a pin name ("LED",
// "GP5"), raising the errors the board's firmware raises for a bad one (and,
// on the rp2, for a pin of the wireless chip: the chip's peripherals cannot
// use it).
int machine_pin_get_id(mp_obj_t pin);

// Release the pins' IRQs at soft reset; route an EVENT_PIN_IRQ to its handler.
void machine_pin_deinit(void);
void machine_pin_irq_event(int pin, int edge);

#define MP_HAL_PIN_FMT "%u"
#define mp_hal_pin_obj_t int
#define MP_HAL_PIN_MODE_INPUT (HOST_PIN_IN)
#define MP_HAL_PIN_MODE_OUTPUT (HOST_PIN_OUT)
#define MP_HAL_PIN_MODE_OPEN_DRAIN (HOST_PIN_OPEN_DRAIN)
#define MP_HAL_PIN_PULL_NONE (0)
#define MP_HAL_PIN_PULL_UP (HOST_PIN_PULL_UP)
#define MP_HAL_PIN_PULL_DOWN (HOST_PIN_PULL_DOWN)

static inline mp_hal_pin_obj_t mp_hal_get_pin_obj(mp_obj_t pin) {
    return machine_pin_get_id(pin);
}
static inline unsigned int mp_hal_pin_name(mp_hal_pin_obj_t pin) {
    return pin;
}
static inline void mp_hal_pin_input(mp_hal_pin_obj_t pin) {
    host_pin_config(pin, HOST_PIN_IN, 0, -1, NULL);
}
static inline void mp_hal_pin_output(mp_hal_pin_obj_t pin) {
    host_pin_config(pin, HOST_PIN_OUT, 0, -1, NULL);
}
static inline void mp_hal_pin_open_drain(mp_hal_pin_obj_t pin) {
    host_pin_config(pin, HOST_PIN_OPEN_DRAIN, 0, 1, NULL);
}
static inline void mp_hal_pin_config(mp_hal_pin_obj_t pin, uint32_t mode, uint32_t pull, uint32_t alt) {
    host_pin_config(pin, mode, pull, -1, NULL);
}
static inline int mp_hal_pin_read(mp_hal_pin_obj_t pin) {
    return host_pin_read(pin);
}
static inline void mp_hal_pin_write(mp_hal_pin_obj_t pin, int v) {
    host_pin_write(pin, v);
}
static inline void mp_hal_pin_od_low(mp_hal_pin_obj_t pin) {
    host_pin_write(pin, 0);
}
static inline void mp_hal_pin_od_high(mp_hal_pin_obj_t pin) {
    host_pin_write(pin, 1);
}
static inline void mp_hal_pin_low(mp_hal_pin_obj_t pin) {
    host_pin_write(pin, 0);
}
static inline void mp_hal_pin_high(mp_hal_pin_obj_t pin) {
    host_pin_write(pin, 1);
}

// Timing-critical bit-banging (drivers/dht): a board masks interrupts
// around it; here the host's events wait for the next poll anyway.
#ifndef mp_hal_quiet_timing_enter
#define mp_hal_quiet_timing_enter() (0)
#define mp_hal_quiet_timing_exit(irq_state) (void)(irq_state)
#endif

#endif
