// machine.PWM, the port half included by extmod/machine_pwm.c
// (MICROPY_PY_MACHINE_PWM_INCLUDEFILE): what ports/rp2 and ports/esp32
// accept, print, read back and raise, computed on a model of each chip's
// PWM registers so that frequencies and duties read back the values the
// hardware's steps give. The signal on each pin goes to the host
// (host_pwm_output), whose pin view and LEDs show it.
#include "py/mphal.h"
#include "machine_pin.h"
#include "machine_pwm.h"
#include "board_machine.h"
#include "host.h"

#if MICROPY_BOARD_RP2

// The RP2040's PWM block: 8 slices of two channels (A, B). GPIOn drives
// slice (n >> 1) & 7, channel n & 1, so GPIO0 and GPIO16 carry the same
// channel, and the two channels of a slice share its frequency.
#define RP2_PWM_SLICES (8)
#define RP2_PWM_GPIOS (30)
// The largest TOP used, so that a duty of 65535 can still reach 100%.
#define RP2_PWM_TOP_MAX (65534)

// A slice's registers, with their widths: DIV is 8.4 fixed point (12 bits),
// TOP and each CC 16 bits. Reset values: DIV 1.0, TOP 0xffff.
typedef struct _rp2_pwm_slice_t {
    bool enabled;
    bool invert[2];
    uint32_t div16;
    uint32_t top;
    uint32_t cc[2];
} rp2_pwm_slice_t;

#define RP2_PWM_SLICE_RESET { false, { false, false }, 16, 0xffff, { 0, 0 } }
static rp2_pwm_slice_t rp2_pwm_slice[RP2_PWM_SLICES] = {
    RP2_PWM_SLICE_RESET, RP2_PWM_SLICE_RESET, RP2_PWM_SLICE_RESET, RP2_PWM_SLICE_RESET,
    RP2_PWM_SLICE_RESET, RP2_PWM_SLICE_RESET, RP2_PWM_SLICE_RESET, RP2_PWM_SLICE_RESET,
};

enum { DUTY_NOT_SET, DUTY_U16, DUTY_NS };
#define VALUE_NOT_SET (-1)

// One object per channel, as the port has them: PWM(pin) answers the same
// object for every pin on that channel.
struct _machine_pwm_obj_t {
    mp_obj_base_t base;
    uint8_t slice;
    uint8_t channel;
    uint8_t invert;
    uint8_t duty_type;
    mp_int_t duty;      // as given, in the unit of duty_type
};

#define RP2_PWM_OBJ(n) {{&machine_pwm_type}, (n) / 2, (n) % 2, 0, DUTY_NOT_SET, 0}
static machine_pwm_obj_t rp2_pwm_obj[2 * RP2_PWM_SLICES] = {
    RP2_PWM_OBJ(0), RP2_PWM_OBJ(1), RP2_PWM_OBJ(2), RP2_PWM_OBJ(3),
    RP2_PWM_OBJ(4), RP2_PWM_OBJ(5), RP2_PWM_OBJ(6), RP2_PWM_OBJ(7),
    RP2_PWM_OBJ(8), RP2_PWM_OBJ(9), RP2_PWM_OBJ(10), RP2_PWM_OBJ(11),
    RP2_PWM_OBJ(12), RP2_PWM_OBJ(13), RP2_PWM_OBJ(14), RP2_PWM_OBJ(15),
};

// The port's own state: a slice has had its frequency set (until soft reset),
// and starting is held back while init() checks its arguments.
static bool rp2_pwm_freq_set[RP2_PWM_SLICES];
static bool rp2_pwm_defer_start;

// The RP2040's divider answers a division by zero with all ones (and zero
// for 0 / 0) instead of faulting; wasm would trap, so it is spelt out.
static uint32_t rp2_udiv32(uint32_t a, uint32_t b) {
    return b == 0 ? (a ? 0xffffffff : 0) : a / b;
}

static uint64_t rp2_udiv64(uint64_t a, uint64_t b) {
    return b == 0 ? (a ? UINT64_MAX : 0) : a / b;
}

// floor((16 * clk_sys + offset) / div16), in 64 bits where 32 would overflow.
static uint32_t rp2_slice_hz(uint32_t offset, uint32_t div16) {
    uint32_t source_hz = board_machine_cpu_freq();
    if (source_hz + offset / 16 > 268000000) {
        return rp2_udiv64(16 * (uint64_t)source_hz + offset, div16);
    }
    return rp2_udiv32(16 * source_hz + offset, div16);
}

static uint32_t rp2_slice_hz_round(uint32_t div16) {
    return rp2_slice_hz(div16 / 2, div16);
}

static uint32_t rp2_slice_hz_ceil(uint32_t div16) {
    return rp2_slice_hz(div16 - 1, div16);
}

// Tell the host what a slice's channels now put on their pins: high for CC
// of every TOP + 1 counts (CC beyond TOP is always high), after the
// channel's polarity; nothing while the slice is stopped.
static void rp2_pwm_show(uint32_t slice) {
    const rp2_pwm_slice_t *s = &rp2_pwm_slice[slice];
    for (uint32_t channel = 0; channel < 2; ++channel) {
        uint32_t period = s->enabled ? s->top + 1 : 0;
        uint32_t high = MIN(s->cc[channel], period);
        if (s->invert[channel]) {
            high = period - high;
        }
        for (uint32_t gpio = slice * 2 + channel; gpio < RP2_PWM_GPIOS; gpio += 2 * RP2_PWM_SLICES) {
            host_pwm_output(gpio, high, period);
        }
    }
}

static void rp2_pwm_set_level(machine_pwm_obj_t *self, uint32_t cc) {
    rp2_pwm_slice[self->slice].cc[self->channel] = cc & 0xffff;
    rp2_pwm_show(self->slice);
}

// The slice runs once it has a frequency and this channel a duty; its
// polarity bits are written then.
static void rp2_pwm_start(machine_pwm_obj_t *self) {
    if (rp2_pwm_defer_start || !rp2_pwm_freq_set[self->slice] || self->duty_type == DUTY_NOT_SET) {
        return;
    }
    rp2_pwm_slice_t *s = &rp2_pwm_slice[self->slice];
    machine_pwm_obj_t *pair = &rp2_pwm_obj[self->slice * 2];
    s->invert[0] = pair[0].invert;
    s->invert[1] = pair[1].invert;
    s->enabled = true;
    rp2_pwm_show(self->slice);
}

static void mp_machine_pwm_freq_set(machine_pwm_obj_t *self, mp_int_t freq);
static void mp_machine_pwm_duty_set_u16(machine_pwm_obj_t *self, mp_int_t duty_u16);
static void mp_machine_pwm_duty_set_ns(machine_pwm_obj_t *self, mp_int_t duty_ns);

static void mp_machine_pwm_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_pwm_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "<PWM slice=%u channel=%u invert=%u>", self->slice, self->channel, self->invert);
}

// init(freq, *, duty_u16, duty_ns, invert): every argument is checked before
// the slice starts.
static void mp_machine_pwm_init_helper(machine_pwm_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_freq, ARG_duty_u16, ARG_duty_ns, ARG_invert };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_freq, MP_ARG_INT, {.u_int = VALUE_NOT_SET} },
        { MP_QSTR_duty_u16, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = VALUE_NOT_SET} },
        { MP_QSTR_duty_ns, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = VALUE_NOT_SET} },
        { MP_QSTR_invert, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = VALUE_NOT_SET} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    // An error below leaves starting held back, as on the board, until an
    // init() completes (a soft reset does not clear it either).
    rp2_pwm_defer_start = true;
    if (args[ARG_freq].u_int != VALUE_NOT_SET) {
        mp_machine_pwm_freq_set(self, args[ARG_freq].u_int);
    }
    if (args[ARG_duty_u16].u_int != VALUE_NOT_SET) {
        mp_machine_pwm_duty_set_u16(self, args[ARG_duty_u16].u_int);
    }
    if (args[ARG_duty_ns].u_int != VALUE_NOT_SET) {
        mp_machine_pwm_duty_set_ns(self, args[ARG_duty_ns].u_int);
    }
    if (args[ARG_invert].u_int != VALUE_NOT_SET) {
        self->invert = !!args[ARG_invert].u_int;
    }
    rp2_pwm_defer_start = false;
    rp2_pwm_start(self);
}

// PWM(pin, freq, *, duty_u16, duty_ns, invert)
static mp_obj_t mp_machine_pwm_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, MP_OBJ_FUN_ARGS_MAX, true);
    int gpio = machine_pin_get_id(args[0]);
    if (gpio >= RP2_PWM_GPIOS) {
        // The Pico W's wireless chip pins ("LED") have no PWM.
        mp_raise_ValueError(MP_ERROR_TEXT("expecting a regular GPIO Pin"));
    }
    machine_pwm_obj_t *self = &rp2_pwm_obj[((gpio >> 1) & 7) * 2 + (gpio & 1)];
    self->invert = 0;
    self->duty_type = DUTY_NOT_SET;

    mp_map_t kw_args;
    mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
    mp_machine_pwm_init_helper(self, n_args - 1, args + 1, &kw_args);

    // The pin's function becomes PWM: it shows its channel's signal.
    host_pin_config(gpio, HOST_PIN_ALT, 0, -1, "PWM");
    rp2_pwm_show(self->slice);
    return MP_OBJ_FROM_PTR(self);
}

// At soft reset every slice stops and forgets its frequency (the registers keep their values).
void machine_pwm_deinit_all(void) {
    for (uint32_t slice = 0; slice < RP2_PWM_SLICES; ++slice) {
        rp2_pwm_freq_set[slice] = false;
        rp2_pwm_slice[slice].enabled = false;
    }
}

// deinit() stops the whole slice: the other channel too.
static void mp_machine_pwm_deinit(machine_pwm_obj_t *self) {
    rp2_pwm_slice[self->slice].enabled = false;
    rp2_pwm_show(self->slice);
}

static mp_obj_t mp_machine_pwm_freq_get(machine_pwm_obj_t *self) {
    if (!rp2_pwm_freq_set[self->slice]) {
        return MP_OBJ_NEW_SMALL_INT(0);
    }
    const rp2_pwm_slice_t *s = &rp2_pwm_slice[self->slice];
    return MP_OBJ_NEW_SMALL_INT(rp2_slice_hz_round(s->div16 * (s->top + 1)));
}

// The divider and TOP for a frequency: TOP as large as it can be, for the
// finest duty steps; a divider of 1 where that suffices. The arithmetic is
// the port's, in its unsigned 32-bit types, so that odd arguments (negative,
// beyond the clock) give what they give on the board.
static void mp_machine_pwm_freq_set(machine_pwm_obj_t *self, mp_int_t freq) {
    uint32_t source_hz = board_machine_cpu_freq();
    uint32_t div16;
    uint32_t top;
    if (rp2_udiv32(source_hz + freq / 2, freq) < RP2_PWM_TOP_MAX) {
        div16 = 16;
        top = rp2_udiv32(source_hz + freq / 2, freq) - 1;
    } else {
        div16 = rp2_slice_hz_ceil(RP2_PWM_TOP_MAX * freq);
        top = rp2_slice_hz_round(div16 * freq) - 1;
    }
    if (div16 < 16) {
        mp_raise_ValueError(MP_ERROR_TEXT("freq too large"));
    } else if (div16 >= 256 * 16) {
        mp_raise_ValueError(MP_ERROR_TEXT("freq too small"));
    }
    rp2_pwm_slice_t *s = &rp2_pwm_slice[self->slice];
    s->div16 = div16 & 0xfff;
    s->top = top & 0xffff;
    rp2_pwm_freq_set[self->slice] = true;
    rp2_pwm_show(self->slice);
    // Both channels keep their duty (as a fraction, or in ns) at the new frequency.
    machine_pwm_obj_t *pair = &rp2_pwm_obj[self->slice * 2];
    machine_pwm_obj_t *order[2] = { self, self == &pair[0] ? &pair[1] : &pair[0] };
    for (int i = 0; i < 2; ++i) {
        if (order[i]->duty_type == DUTY_U16) {
            mp_machine_pwm_duty_set_u16(order[i], order[i]->duty);
        } else if (order[i]->duty_type == DUTY_NS) {
            mp_machine_pwm_duty_set_ns(order[i], order[i]->duty);
        }
    }
}

static mp_obj_t mp_machine_pwm_duty_get_u16(machine_pwm_obj_t *self) {
    if (self->duty_type == DUTY_NOT_SET || !rp2_pwm_freq_set[self->slice]) {
        return MP_OBJ_NEW_SMALL_INT(0);
    }
    const rp2_pwm_slice_t *s = &rp2_pwm_slice[self->slice];
    uint32_t cc = s->cc[self->channel];
    return MP_OBJ_NEW_SMALL_INT((cc * 65535 + (s->top + 1) / 2) / (s->top + 1));
}

static void mp_machine_pwm_duty_set_u16(machine_pwm_obj_t *self, mp_int_t duty_u16) {
    uint32_t top = rp2_pwm_slice[self->slice].top;
    if (duty_u16 > 65535) {
        duty_u16 = 65535;
    }
    rp2_pwm_set_level(self, ((uint32_t)duty_u16 * (top + 1) + 65535 / 2) / 65535);
    self->duty = duty_u16;
    self->duty_type = DUTY_U16;
    rp2_pwm_start(self);
}

static mp_obj_t mp_machine_pwm_duty_get_ns(machine_pwm_obj_t *self) {
    if (self->duty_type == DUTY_NOT_SET || !rp2_pwm_freq_set[self->slice]) {
        return MP_OBJ_NEW_SMALL_INT(0);
    }
    const rp2_pwm_slice_t *s = &rp2_pwm_slice[self->slice];
    uint32_t slice_hz = rp2_slice_hz_round(s->div16);
    uint64_t cc = s->cc[self->channel];
    return MP_OBJ_NEW_SMALL_INT(rp2_udiv64(cc * 1000000000ULL + slice_hz / 2, slice_hz));
}

// A duty in ns longer than the period is held at the period (always high).
static void mp_machine_pwm_duty_set_ns(machine_pwm_obj_t *self, mp_int_t duty_ns) {
    const rp2_pwm_slice_t *s = &rp2_pwm_slice[self->slice];
    uint32_t slice_hz = rp2_slice_hz_round(s->div16);
    uint32_t cc = ((uint64_t)duty_ns * slice_hz + 500000000ULL) / 1000000000ULL;
    if (cc > s->top + 1) {
        cc = s->top + 1;
    }
    rp2_pwm_set_level(self, cc);
    self->duty = duty_ns;
    self->duty_type = DUTY_NS;
    rp2_pwm_start(self);
}

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

// The ESP32's LED controller (LEDC) under ESP-IDF's driver: two groups
// (speed modes: high speed 0, low speed 1) of 8 channels and 4 timers. A
// timer sets a frequency and a duty resolution; channels on one timer share
// its frequency. The port hands out channels and timers as ports/esp32 does.
#define LEDC_MODES (2)
#define LEDC_HIGH_SPEED (0)
#define LEDC_LOW_SPEED (1)
#define LEDC_CHANNELS (8)
#define LEDC_TIMERS (4)
// The timers' counters have up to 20 bits; the divider is 10.8 fixed point.
#define LEDC_TIMER_BITS (20)
#define LEDC_DIV_FRAC_BITS (8)
#define LEDC_DIV_MAX (0x3ffff)
#define LEDC_DIV_INVALID(div) ((div) <= 0xff || (div) > LEDC_DIV_MAX)
// GPIO34-39 are inputs only.
#define ESP32_FIRST_INPUT_ONLY_PIN (34)

// The timers' clocks: APB (80 MHz, or the CPU's clock below that), REF_TICK
// (1 MHz, for the lowest frequencies) and RC_FAST (about 8.5 MHz, kept
// running in light sleep).
enum { LEDC_CLK_AUTO, LEDC_CLK_APB, LEDC_CLK_REF_TICK, LEDC_CLK_RC_FAST };
#define LEDC_REF_TICK_BELOW_HZ (10)

// The user's duty scales: duty() in 10 bits, duty_u16() in 16, duty_ns().
#define DUTY_10 (10)
#define DUTY_16 (16)
#define DUTY_NS (1)
#define MAX_10_DUTY (1 << 10)
#define MAX_16_DUTY (1 << 16)
#define PWM_DEFAULT_FREQ (5000)
#define PWM_DEFAULT_DUTY (MAX_16_DUTY / 2)

// The hardware: what ledc_get_freq() and ledc_get_duty() read back, and the
// signal each channel sends to its pin.
typedef struct _ledc_timer_hw_t {
    uint32_t div;       // 10.8 fixed point; 0 until configured
    uint8_t bits;
    uint8_t clock;
} ledc_timer_hw_t;

typedef struct _ledc_channel_hw_t {
    uint32_t duty;
    int8_t timer;
    int8_t pin;         // the pin the GPIO matrix routes this channel to, -1: none
    bool invert;
    bool running;
} ledc_channel_hw_t;

static ledc_timer_hw_t ledc_timer_hw[LEDC_MODES][LEDC_TIMERS];
static ledc_channel_hw_t ledc_channel_hw[LEDC_MODES][LEDC_CHANNELS];

// The port's bookkeeping: which pin and timer each channel has, each timer's
// frequency, resolution and clock (-1, 0 and AUTO when free).
typedef struct _esp32_pwm_channel_t {
    int8_t pin;
    int8_t timer;
    bool lightsleep;
} esp32_pwm_channel_t;

typedef struct _esp32_pwm_timer_t {
    int32_t freq;
    int8_t bits;
    uint8_t clock;
} esp32_pwm_timer_t;

static bool esp32_pwm_inited;
static esp32_pwm_channel_t esp32_pwm_channel[LEDC_MODES][LEDC_CHANNELS];
static esp32_pwm_timer_t esp32_pwm_timer[LEDC_MODES][LEDC_TIMERS];

// A PWM object (one per PWM() call; objects on one pin share its channel).
struct _machine_pwm_obj_t {
    mp_obj_base_t base;
    int8_t pin;
    int8_t mode;
    int8_t channel;
    int8_t timer;
    bool lightsleep;
    int32_t freq;
    int8_t duty_scale;      // DUTY_10, DUTY_16 or DUTY_NS: the last one set
    int duty_ui;            // the duty as given, in that scale
    int channel_duty;       // in the timer's resolution
    bool output_invert;
    bool output_invert_prev;
};

static uint32_t ledc_clock_hz(int clock) {
    switch (clock) {
        case LEDC_CLK_APB:
            return MIN(board_machine_cpu_freq(), 80000000);
        case LEDC_CLK_REF_TICK:
            return 1000000;
        case LEDC_CLK_RC_FAST:
            return 8500000;
        default:
            return 0;
    }
}

// ESP-IDF's divider for a frequency at a resolution of `precision` steps, rounded.
static uint32_t ledc_divisor(uint32_t source_hz, uint32_t freq, uint32_t precision) {
    return (((uint64_t)source_hz << LEDC_DIV_FRAC_BITS) + (uint64_t)freq * precision / 2) / ((uint64_t)freq * precision);
}

static uint32_t floor_log2(uint32_t n) {
    uint32_t log = 0;
    while (n >>= 1) {
        ++log;
    }
    return log;
}

// ESP-IDF's finest resolution that a valid divider reaches at this
// frequency (ledc_find_suitable_duty_resolution).
static uint32_t ledc_suitable_bits(uint32_t source_hz, uint32_t freq) {
    uint32_t bits = MIN(floor_log2((source_hz + freq / 2) / freq), LEDC_TIMER_BITS);
    if (LEDC_DIV_INVALID(ledc_divisor(source_hz, freq, 1 << bits))) {
        bits = MIN(floor_log2(source_hz / freq), LEDC_TIMER_BITS);
        if (LEDC_DIV_INVALID(ledc_divisor(source_hz, freq, 1 << bits))) {
            bits = 0;
        }
    }
    return bits;
}

// The port's choice: at most the 16 bits of duty_u16(), and one bit less than
// the counter's width, where 100% cannot be reached.
static uint32_t esp32_pwm_duty_bits(uint32_t source_hz, uint32_t freq) {
    uint32_t bits = MIN(ledc_suitable_bits(source_hz, freq), 16);
    if (bits >= LEDC_TIMER_BITS) {
        bits -= 1;
    }
    return bits;
}

// ledc_get_freq(): the frequency the divider gives, rounded.
static uint32_t ledc_get_freq(int mode, int timer) {
    const ledc_timer_hw_t *t = &ledc_timer_hw[mode][timer];
    if (t->div == 0) {
        return 0;
    }
    uint64_t steps = (uint64_t)t->div << t->bits;
    return (((uint64_t)ledc_clock_hz(t->clock) << LEDC_DIV_FRAC_BITS) + steps / 2) / steps;
}

// Tell the host what a channel puts on its pin: high for `duty` of every
// 2**bits steps (after the pin's inversion), or nothing once stopped.
static void ledc_show(int mode, int channel) {
    const ledc_channel_hw_t *c = &ledc_channel_hw[mode][channel];
    if (c->pin < 0) {
        return;
    }
    uint32_t period = 0;
    uint32_t high = 0;
    if (c->running) {
        period = 1 << ledc_timer_hw[mode][c->timer].bits;
        high = MIN(c->duty, period);
        if (c->invert) {
            high = period - high;
        }
    }
    host_pwm_output(c->pin, high, period);
}

// ledc_channel_config(): the channel on a timer, routed to its pin (which
// leaves any other channel routed there), with a duty; the pin's function
// becomes the LEDC's.
static void ledc_channel_config(int mode, int channel, int timer, int pin, uint32_t duty, bool invert) {
    if (pin >= ESP32_FIRST_INPUT_ONLY_PIN) {
        // check_esp_err()'s OSError for ESP_ERR_INVALID_ARG.
        mp_obj_t args[2] = { MP_OBJ_NEW_SMALL_INT(-0x102), MP_OBJ_NEW_QSTR(MP_QSTR_ESP_ERR_INVALID_ARG) };
        nlr_raise(mp_obj_new_exception_args(&mp_type_OSError, 2, args));
    }
    for (int m = 0; m < LEDC_MODES; ++m) {
        for (int c = 0; c < LEDC_CHANNELS; ++c) {
            if (ledc_channel_hw[m][c].pin == pin) {
                ledc_channel_hw[m][c].pin = -1;
            }
        }
    }
    ledc_channel_hw_t *c = &ledc_channel_hw[mode][channel];
    c->duty = duty;
    c->timer = timer;
    c->pin = pin;
    c->invert = invert;
    c->running = true;
    host_pin_config(pin, HOST_PIN_ALT, 0, -1, "PWM");
    ledc_show(mode, channel);
}

static void esp32_pwm_set_channel(int mode, int channel, int pin, int timer) {
    esp32_pwm_channel[mode][channel].pin = pin;
    esp32_pwm_channel[mode][channel].timer = timer;
}

static void esp32_pwm_free_channel(int mode, int channel) {
    esp32_pwm_set_channel(mode, channel, -1, -1);
    esp32_pwm_channel[mode][channel].lightsleep = false;
}

static void esp32_pwm_free_timer(int mode, int timer) {
    esp32_pwm_timer[mode][timer].freq = -1;
    esp32_pwm_timer[mode][timer].bits = 0;
    esp32_pwm_timer[mode][timer].clock = LEDC_CLK_AUTO;
}

static void esp32_pwm_init(void) {
    for (int mode = 0; mode < LEDC_MODES; ++mode) {
        for (int channel = 0; channel < LEDC_CHANNELS; ++channel) {
            esp32_pwm_free_channel(mode, channel);
        }
        for (int timer = 0; timer < LEDC_TIMERS; ++timer) {
            esp32_pwm_free_timer(mode, timer);
        }
    }
}

// Whether another channel with a pin uses this timer.
static bool esp32_pwm_timer_in_use(int mode, int current_channel, int timer) {
    for (int channel = 0; channel < LEDC_CHANNELS; ++channel) {
        const esp32_pwm_channel_t *c = &esp32_pwm_channel[mode][channel];
        if (channel != current_channel && c->timer == timer && c->pin >= 0) {
            return true;
        }
    }
    return false;
}

// Release a channel (stopping its output) and its timer if nobody else uses it.
static void esp32_pwm_release(int mode, int channel) {
    if (mode < 0 || mode >= LEDC_MODES || channel < 0 || channel >= LEDC_CHANNELS) {
        return;
    }
    int timer = esp32_pwm_channel[mode][channel].timer;
    if (timer >= 0 && !esp32_pwm_timer_in_use(mode, channel, timer)) {
        esp32_pwm_free_timer(mode, timer);
    }
    if (esp32_pwm_channel[mode][channel].pin >= 0) {
        ledc_channel_hw[mode][channel].running = false;
        ledc_show(mode, channel);
    }
    esp32_pwm_free_channel(mode, channel);
}

// At soft reset every channel stops and every timer is released.
void machine_pwm_deinit_all(void) {
    if (esp32_pwm_inited) {
        for (int mode = 0; mode < LEDC_MODES; ++mode) {
            for (int channel = 0; channel < LEDC_CHANNELS; ++channel) {
                esp32_pwm_release(mode, channel);
            }
        }
        esp32_pwm_inited = false;
    }
}

static void esp32_pwm_check_active(machine_pwm_obj_t *self) {
    if (self->timer < 0) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("PWM is inactive"));
    }
}

static int esp32_pwm_ns_to_duty(machine_pwm_obj_t *self, int ns) {
    esp32_pwm_check_active(self);
    int64_t duty = ((int64_t)ns * MAX_16_DUTY * self->freq + 500000000LL) / 1000000000LL;
    if (ns > 0 && duty == 0) {
        duty = 1;
    } else if (duty > MAX_16_DUTY) {
        duty = MAX_16_DUTY;
    }
    return duty;
}

static int esp32_pwm_duty_to_ns(machine_pwm_obj_t *self, int duty) {
    esp32_pwm_check_active(self);
    int64_t period = (int64_t)self->freq * MAX_16_DUTY;
    return ((int64_t)duty * 1000000000LL + (int64_t)self->freq * (MAX_16_DUTY / 2)) / period;
}

// The duty, brought to the timer's resolution, onto the channel: a new
// channel (or a new inversion) is configured, otherwise only its duty changes.
static void esp32_pwm_apply_duty(machine_pwm_obj_t *self) {
    esp32_pwm_check_active(self);
    int duty = 0;
    if (self->duty_scale == DUTY_16) {
        duty = self->duty_ui;
    } else if (self->duty_scale == DUTY_10) {
        duty = self->duty_ui << (16 - 10);
    } else if (self->duty_scale == DUTY_NS) {
        duty = esp32_pwm_ns_to_duty(self, self->duty_ui);
    }
    self->channel_duty = duty >> (16 - esp32_pwm_timer[self->mode][self->timer].bits);
    if (esp32_pwm_channel[self->mode][self->channel].pin == -1 || self->output_invert_prev != self->output_invert) {
        self->output_invert_prev = self->output_invert;
        ledc_channel_config(self->mode, self->channel, self->timer, self->pin, self->channel_duty, self->output_invert);
    } else {
        ledc_channel_hw[self->mode][self->channel].duty = self->channel_duty;
        ledc_show(self->mode, self->channel);
    }
    if (self->lightsleep) {
        esp32_pwm_channel[self->mode][self->channel].lightsleep = true;
    }
    esp32_pwm_set_channel(self->mode, self->channel, self->pin, self->timer);
}

// What the hardware's duty reads as a u16 (100% reads 65535).
static uint32_t esp32_pwm_get_duty_u16(machine_pwm_obj_t *self) {
    esp32_pwm_check_active(self);
    int duty = ledc_channel_hw[self->mode][self->channel].duty << (16 - esp32_pwm_timer[self->mode][self->timer].bits);
    return duty == MAX_16_DUTY ? MAX_16_DUTY - 1 : duty;
}

static uint32_t esp32_pwm_get_duty_u10(machine_pwm_obj_t *self) {
    return esp32_pwm_get_duty_u16(self) >> (16 - 10);
}

static uint32_t esp32_pwm_get_duty_ns(machine_pwm_obj_t *self) {
    return esp32_pwm_duty_to_ns(self, esp32_pwm_get_duty_u16(self));
}

// Checking a duty stores it; the largest value means 100%.
static void esp32_pwm_check_duty_u16(machine_pwm_obj_t *self, int duty) {
    if (duty < 0 || duty > MAX_16_DUTY - 1) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("duty_u16 must be from 0 to %d"), MAX_16_DUTY);
    }
    self->duty_scale = DUTY_16;
    self->duty_ui = duty == MAX_16_DUTY - 1 ? MAX_16_DUTY : duty;
}

static void esp32_pwm_check_duty_u10(machine_pwm_obj_t *self, int duty) {
    if (duty < 0 || duty > MAX_10_DUTY - 1) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("duty must be from 0 to %u"), MAX_10_DUTY - 1);
    }
    self->duty_scale = DUTY_10;
    self->duty_ui = duty == MAX_10_DUTY - 1 ? MAX_10_DUTY : duty;
}

// (The period comes from the timer: before PWM has one, this raises "PWM is inactive".)
static void esp32_pwm_check_duty_ns(machine_pwm_obj_t *self, int ns) {
    if (ns < 0 || ns > esp32_pwm_duty_to_ns(self, MAX_16_DUTY)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("duty_ns must be from 0 to %d ns"), esp32_pwm_duty_to_ns(self, MAX_16_DUTY));
    }
    self->duty_scale = DUTY_NS;
    self->duty_ui = ns;
}

static void esp32_pwm_check_freq(int freq, int upper) {
    if (freq <= 0 || freq > upper) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("frequency must be from 1Hz to %dMHz"), upper / 1000000);
    }
}

// The timer's frequency, with the clock that reaches it and the finest resolution.
static void esp32_pwm_set_freq(machine_pwm_obj_t *self, int freq) {
    self->freq = freq;
    esp32_pwm_timer_t *timer = &esp32_pwm_timer[self->mode][self->timer];
    if (timer->freq == freq && !self->lightsleep) {
        return;
    }
    int clock = LEDC_CLK_APB;
    if (self->lightsleep) {
        clock = LEDC_CLK_RC_FAST;
    } else if (freq < LEDC_REF_TICK_BELOW_HZ) {
        clock = LEDC_CLK_REF_TICK;
    }
    uint32_t source_hz = ledc_clock_hz(clock);
    // A timer counts at most at half its clock (machine.freq(20_000_000) brings APB, and that, down).
    esp32_pwm_check_freq(freq, source_hz / 2);
    uint32_t bits = esp32_pwm_duty_bits(source_hz, freq);
    ledc_timer_hw_t *hw = &ledc_timer_hw[self->mode][self->timer];
    hw->div = ledc_divisor(source_hz, freq, 1 << bits);
    hw->bits = bits;
    hw->clock = clock;
    timer->freq = freq;
    timer->bits = bits;
    timer->clock = clock;
}

static bool esp32_pwm_mode_has_channel(int mode, int pin) {
    for (int channel = 0; channel < LEDC_CHANNELS; ++channel) {
        int channel_pin = esp32_pwm_channel[mode][channel].pin;
        if (channel_pin < 0 || channel_pin == pin) {
            return true;
        }
    }
    return false;
}

static bool esp32_pwm_mode_has_timer(int mode, int32_t freq) {
    for (int timer = 0; timer < LEDC_TIMERS; ++timer) {
        int32_t timer_freq = esp32_pwm_timer[mode][timer].freq;
        if (timer_freq < 0 || timer_freq == freq) {
            return true;
        }
    }
    return false;
}

// Light sleep keeps only the low speed group running.
static bool esp32_pwm_mode_allowed(machine_pwm_obj_t *self, int mode) {
    return !(self->lightsleep && mode == LEDC_HIGH_SPEED);
}

// The channel this pin already has, else the first free one in a group with
// a timer for this frequency (or a free timer).
static void esp32_pwm_find_channel(machine_pwm_obj_t *self, int *found_mode, int *found_channel, int32_t freq) {
    for (int mode = 0; mode < LEDC_MODES; ++mode) {
        if (!esp32_pwm_mode_allowed(self, mode)) {
            continue;
        }
        for (int channel = 0; channel < LEDC_CHANNELS; ++channel) {
            if (esp32_pwm_channel[mode][channel].pin == self->pin) {
                *found_mode = mode;
                *found_channel = channel;
                return;
            }
        }
    }
    for (int mode = 0; mode < LEDC_MODES; ++mode) {
        if (!esp32_pwm_mode_allowed(self, mode)) {
            continue;
        }
        for (int channel = 0; channel < LEDC_CHANNELS; ++channel) {
            if (esp32_pwm_channel[mode][channel].pin < 0 && esp32_pwm_mode_has_timer(mode, freq)) {
                *found_mode = mode;
                *found_channel = channel;
                return;
            }
        }
    }
}

// A timer at this frequency (-1: a free one) in a group with a channel to spare.
static void esp32_pwm_find_timer(machine_pwm_obj_t *self, int32_t freq, int *found_mode, int *found_timer) {
    for (int mode = 0; mode < LEDC_MODES; ++mode) {
        if (!esp32_pwm_mode_allowed(self, mode) || !esp32_pwm_mode_has_channel(mode, self->pin)) {
            continue;
        }
        for (int timer = 0; timer < LEDC_TIMERS; ++timer) {
            if (esp32_pwm_timer[mode][timer].freq == freq) {
                *found_mode = mode;
                *found_timer = timer;
                return;
            }
        }
    }
}

// A timer already running at this frequency, else this channel's own if
// nobody shares it, else a free one; the channel moves to the timer's group
// (keeping its number) when that differs.
static void esp32_pwm_select_timer(machine_pwm_obj_t *self, int freq) {
    int mode = -1;
    int timer = -1;
    esp32_pwm_find_timer(self, freq, &mode, &timer);
    if (timer < 0) {
        if (self->mode >= 0 && self->channel >= 0 && !esp32_pwm_timer_in_use(self->mode, self->channel, self->timer)) {
            mode = self->mode;
            timer = self->timer;
        }
        if (timer < 0) {
            esp32_pwm_find_timer(self, -1, &mode, &timer);
        }
    }
    if (timer < 0) {
        mp_raise_msg_varg(&mp_type_RuntimeError, MP_ERROR_TEXT("out of %sPWM timers:%d"),
            self->lightsleep ? "light sleep capable " : "", self->lightsleep ? LEDC_TIMERS : LEDC_MODES * LEDC_TIMERS);
    }
    if (self->timer != timer) {
        esp32_pwm_free_channel(self->mode, self->channel);
        self->mode = mode;
        self->timer = timer;
        esp32_pwm_set_channel(self->mode, self->channel, -1, self->timer);
    }
}

static void esp32_pwm_set_freq_duty(machine_pwm_obj_t *self, int freq) {
    esp32_pwm_select_timer(self, freq);
    esp32_pwm_set_freq(self, freq);
    esp32_pwm_apply_duty(self);
}

static void mp_machine_pwm_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_pwm_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "PWM(Pin(%u)", self->pin);
    if (self->timer >= 0) {
        mp_printf(print, ", freq=%u", ledc_get_freq(self->mode, self->timer));
        if (self->duty_scale == DUTY_10) {
            mp_printf(print, ", duty=%d", esp32_pwm_get_duty_u10(self));
        } else if (self->duty_scale == DUTY_NS) {
            mp_printf(print, ", duty_ns=%d", esp32_pwm_get_duty_ns(self));
        } else {
            mp_printf(print, ", duty_u16=%d", esp32_pwm_get_duty_u16(self));
        }
        if (self->output_invert) {
            mp_printf(print, ", invert=True");
        }
        if (self->lightsleep) {
            mp_printf(print, ", lightsleep=True");
        }
    }
    mp_printf(print, ")");
}

// init(freq, *, duty, duty_u16, duty_ns, invert, lightsleep): one duty (u16
// first, then ns, then the 10-bit one); without one, what it had or 50%;
// without a frequency, its timer's or 5 kHz.
static void mp_machine_pwm_init_helper(machine_pwm_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_freq, ARG_duty, ARG_duty_u16, ARG_duty_ns, ARG_invert, ARG_lightsleep };
    const mp_arg_t allowed_args[] = {
        { MP_QSTR_freq, MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_duty, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_duty_u16, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_duty_ns, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_invert, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = self->output_invert} },
        { MP_QSTR_lightsleep, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = self->lightsleep} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    self->lightsleep = args[ARG_lightsleep].u_bool;
    int freq = args[ARG_freq].u_int;
    if (freq != -1) {
        esp32_pwm_check_freq(freq, 40000000);
    }
    int duty = args[ARG_duty].u_int;
    int duty_u16 = args[ARG_duty_u16].u_int;
    int duty_ns = args[ARG_duty_ns].u_int;
    if (duty_u16 >= 0) {
        esp32_pwm_check_duty_u16(self, duty_u16);
    } else if (duty_ns >= 0) {
        esp32_pwm_check_duty_ns(self, duty_ns);
    } else if (duty >= 0) {
        esp32_pwm_check_duty_u10(self, duty);
    } else if (self->duty_scale == 0) {
        self->duty_scale = DUTY_16;
        self->duty_ui = PWM_DEFAULT_DUTY;
    }
    self->output_invert = args[ARG_invert].u_bool;

    int mode = -1;
    int channel = -1;
    esp32_pwm_find_channel(self, &mode, &channel, freq);
    if (channel < 0) {
        mp_raise_msg_varg(&mp_type_RuntimeError, MP_ERROR_TEXT("out of %sPWM channels:%d"),
            self->lightsleep ? "light sleep capable " : "", self->lightsleep ? LEDC_CHANNELS : LEDC_MODES * LEDC_CHANNELS);
    }
    self->mode = mode;
    self->channel = channel;
    if (freq == -1) {
        int timer = esp32_pwm_channel[mode][channel].timer;
        if (timer >= 0) {
            freq = esp32_pwm_timer[mode][timer].freq;
        }
        if (freq <= 0) {
            freq = PWM_DEFAULT_FREQ;
        }
    }
    esp32_pwm_set_freq_duty(self, freq);
}

static void esp32_pwm_reset_obj(machine_pwm_obj_t *self) {
    self->mode = -1;
    self->channel = -1;
    self->timer = -1;
    self->freq = -1;
    self->duty_scale = 0;
    self->duty_ui = 0;
    self->channel_duty = -1;
    self->output_invert = false;
    self->output_invert_prev = false;
    self->lightsleep = false;
}

// PWM(pin, freq, *, duty, duty_u16, duty_ns, invert, lightsleep)
static mp_obj_t mp_machine_pwm_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 2, true);
    if (!esp32_pwm_inited) {
        esp32_pwm_init();
        esp32_pwm_inited = true;
    }
    machine_pwm_obj_t *self = mp_obj_malloc(machine_pwm_obj_t, &machine_pwm_type);
    esp32_pwm_reset_obj(self);
    self->pin = machine_pin_get_id(args[0]);

    mp_map_t kw_args;
    mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
    mp_machine_pwm_init_helper(self, n_args - 1, args + 1, &kw_args);
    return MP_OBJ_FROM_PTR(self);
}

static void mp_machine_pwm_deinit(machine_pwm_obj_t *self) {
    esp32_pwm_release(self->mode, self->channel);
    esp32_pwm_reset_obj(self);
}

static mp_obj_t mp_machine_pwm_freq_get(machine_pwm_obj_t *self) {
    esp32_pwm_check_active(self);
    return MP_OBJ_NEW_SMALL_INT(ledc_get_freq(self->mode, self->timer));
}

static void mp_machine_pwm_freq_set(machine_pwm_obj_t *self, mp_int_t freq) {
    esp32_pwm_check_active(self);
    esp32_pwm_check_freq(freq, 40000000);
    if (freq == esp32_pwm_timer[self->mode][self->timer].freq) {
        return;
    }
    esp32_pwm_set_freq_duty(self, freq);
}

static mp_obj_t mp_machine_pwm_duty_get(machine_pwm_obj_t *self) {
    return MP_OBJ_NEW_SMALL_INT(esp32_pwm_get_duty_u10(self));
}

static void mp_machine_pwm_duty_set(machine_pwm_obj_t *self, mp_int_t duty) {
    esp32_pwm_check_duty_u10(self, duty);
    esp32_pwm_apply_duty(self);
}

static mp_obj_t mp_machine_pwm_duty_get_u16(machine_pwm_obj_t *self) {
    return MP_OBJ_NEW_SMALL_INT(esp32_pwm_get_duty_u16(self));
}

static void mp_machine_pwm_duty_set_u16(machine_pwm_obj_t *self, mp_int_t duty_u16) {
    esp32_pwm_check_duty_u16(self, duty_u16);
    esp32_pwm_apply_duty(self);
}

static mp_obj_t mp_machine_pwm_duty_get_ns(machine_pwm_obj_t *self) {
    return MP_OBJ_NEW_SMALL_INT(esp32_pwm_get_duty_ns(self));
}

static void mp_machine_pwm_duty_set_ns(machine_pwm_obj_t *self, mp_int_t duty_ns) {
    esp32_pwm_check_duty_ns(self, duty_ns);
    esp32_pwm_apply_duty(self);
}

#endif // MICROPY_BOARD_ESP32
