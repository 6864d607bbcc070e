// machine.ADC, the port half included by extmod/machine_adc.c
// (MICROPY_PY_MACHINE_ADC_INCLUDEFILE): what ports/rp2 and ports/esp32
// accept, print and raise. Conversions are the host's (host_adc_read): the
// voltage the board's model puts on the pin, quantised as the chip's ADC does.
#include "py/mphal.h"
#include "py/mperrno.h"
#include "machine_pin.h"
#include "host.h"

// A raw reading of `bits` bits as a u16, the way both ports scale it: the
// raw value shifted up, its top bits repeated below, so full scale is 65535.
static mp_int_t adc_scale_u16(uint32_t raw, uint32_t bits) {
    return raw << (16 - bits) | raw >> (2 * bits - 16);
}

#if MICROPY_BOARD_RP2

// The RP2040's ADC: 12 bits over ADC_VREF, five inputs: GPIO26-29 and the
// temperature sensor on channel 4.
#define RP2_ADC_BITS (12)
#define RP2_ADC_FIRST_PIN (26)
#define RP2_ADC_CHANNELS (5)
#define RP2_ADC_CORE_TEMP (4)

#define MICROPY_PY_MACHINE_ADC_CLASS_CONSTANTS \
    { MP_ROM_QSTR(MP_QSTR_CORE_TEMP), MP_ROM_INT(RP2_ADC_CORE_TEMP) }, \

struct _machine_adc_obj_t {
    mp_obj_base_t base;
    uint32_t channel;
};

static void mp_machine_adc_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_adc_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "<ADC channel=%u>", self->channel);
}

// ADC(channel) with 0-4, or ADC(pin) with a pin (object, number, name) of GPIO26-29.
static mp_obj_t mp_machine_adc_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, false);
    mp_obj_t source = args[0];
    mp_int_t channel = -1;
    if (mp_obj_is_int(source)) {
        channel = mp_obj_get_int(source);
    }
    if (channel < 0 || channel >= RP2_ADC_CHANNELS) {
        // Not a channel number: a pin, which must be one of the ADC's.
        int gpio = machine_pin_get_id(source);
        if (gpio < RP2_ADC_FIRST_PIN || gpio >= RP2_ADC_FIRST_PIN + RP2_ADC_CHANNELS - 1) {
            mp_raise_ValueError(MP_ERROR_TEXT("Pin doesn't have ADC capabilities"));
        }
        // The pad goes analog: digital input and pulls off.
        host_pin_config(gpio, HOST_PIN_IN, 0, -1, NULL);
        channel = gpio - RP2_ADC_FIRST_PIN;
    }
    machine_adc_obj_t *self = mp_obj_malloc(machine_adc_obj_t, &machine_adc_type);
    self->channel = channel;
    return MP_OBJ_FROM_PTR(self);
}

static mp_int_t mp_machine_adc_read_u16(machine_adc_obj_t *self) {
    int input = self->channel == RP2_ADC_CORE_TEMP ? HOST_ADC_CORE_TEMP : RP2_ADC_FIRST_PIN + (int)self->channel;
    uint32_t raw = host_adc_read(input, host_adc_vref_mv(), RP2_ADC_BITS);
    return adc_scale_u16(raw, RP2_ADC_BITS);
}

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

// The ESP32's two SAR ADCs (ports/esp32/adc.h): ADC1 on GPIO32-39, ADC2 on
// ten more pins; 9 to 12 bits per block; an attenuation per channel that
// sets its input range.
#include "machine_adc_esp32.h"

#define ADC_ATTEN_DB_0 (0)
#define ADC_ATTEN_DB_2_5 (1)
#define ADC_ATTEN_DB_6 (2)
#define ADC_ATTEN_DB_11 (3)

#define MICROPY_PY_MACHINE_ADC_CLASS_CONSTANTS \
    { MP_ROM_QSTR(MP_QSTR_ATTN_0DB), MP_ROM_INT(ADC_ATTEN_DB_0) }, \
    { MP_ROM_QSTR(MP_QSTR_ATTN_2_5DB), MP_ROM_INT(ADC_ATTEN_DB_2_5) }, \
    { MP_ROM_QSTR(MP_QSTR_ATTN_6DB), MP_ROM_INT(ADC_ATTEN_DB_6) }, \
    { MP_ROM_QSTR(MP_QSTR_ATTN_11DB), MP_ROM_INT(ADC_ATTEN_DB_11) }, \
    { MP_ROM_QSTR(MP_QSTR_WIDTH_9BIT), MP_ROM_INT(9) }, \
    { MP_ROM_QSTR(MP_QSTR_WIDTH_10BIT), MP_ROM_INT(10) }, \
    { MP_ROM_QSTR(MP_QSTR_WIDTH_11BIT), MP_ROM_INT(11) }, \
    { MP_ROM_QSTR(MP_QSTR_WIDTH_12BIT), MP_ROM_INT(12) }, \

// Each channel's attenuation is kept by the module (0: not set yet, which
// reads as 11 dB), since the ADC objects themselves are constant.
static uint8_t esp32_adc_atten[ESP32_ADC_COUNT];

// The channels, in the port's order: ADC(pin) finds the first with that pin.
const machine_adc_obj_t esp32_adc_obj[ESP32_ADC_COUNT] = {
    {{&machine_adc_type}, &esp32_adc_block[0], 0, 36},
    {{&machine_adc_type}, &esp32_adc_block[0], 1, 37},
    {{&machine_adc_type}, &esp32_adc_block[0], 2, 38},
    {{&machine_adc_type}, &esp32_adc_block[0], 3, 39},
    {{&machine_adc_type}, &esp32_adc_block[0], 4, 32},
    {{&machine_adc_type}, &esp32_adc_block[0], 5, 33},
    {{&machine_adc_type}, &esp32_adc_block[0], 6, 34},
    {{&machine_adc_type}, &esp32_adc_block[0], 7, 35},
    {{&machine_adc_type}, &esp32_adc_block[1], 0, 4},
    {{&machine_adc_type}, &esp32_adc_block[1], 1, 0},
    {{&machine_adc_type}, &esp32_adc_block[1], 2, 2},
    {{&machine_adc_type}, &esp32_adc_block[1], 3, 15},
    {{&machine_adc_type}, &esp32_adc_block[1], 4, 13},
    {{&machine_adc_type}, &esp32_adc_block[1], 5, 12},
    {{&machine_adc_type}, &esp32_adc_block[1], 6, 14},
    {{&machine_adc_type}, &esp32_adc_block[1], 7, 27},
    {{&machine_adc_type}, &esp32_adc_block[1], 8, 25},
    {{&machine_adc_type}, &esp32_adc_block[1], 9, 26},
};

const machine_adc_obj_t *esp32_adc_find(const machine_adc_block_obj_t *block, int channel, int gpio) {
    for (size_t i = 0; i < ESP32_ADC_COUNT; ++i) {
        const machine_adc_obj_t *adc = &esp32_adc_obj[i];
        if ((block == NULL || adc->block == block)
            && (channel == -1 || adc->channel == channel)
            && (gpio == -1 || adc->gpio == gpio)) {
            return adc;
        }
    }
    return NULL;
}

// A block deinit()ed (or never set up) refuses conversions, as ESP-IDF does.
static void esp32_adc_check_ready(const machine_adc_block_obj_t *block) {
    if (!block->ready) {
        mp_raise_OSError(MP_EPERM);
    }
}

static mp_int_t esp32_adc_atten_get(const machine_adc_obj_t *self) {
    uint8_t atten = esp32_adc_atten[self - esp32_adc_obj];
    return atten == 0 ? ADC_ATTEN_DB_11 : atten - 1;
}

static void esp32_adc_atten_set(const machine_adc_obj_t *self, mp_int_t atten) {
    if (atten < ADC_ATTEN_DB_0 || atten > ADC_ATTEN_DB_11) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid attenuation"));
    }
    esp32_adc_atten[self - esp32_adc_obj] = atten + 1;
}

void esp32_adc_block_bits_set(machine_adc_block_obj_t *block, mp_int_t bits) {
    if (bits < ESP32_ADC_BITS_MIN || bits > ESP32_ADC_BITS_MAX) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid bit-width"));
    }
    block->bits = bits;
}

// Configuring a channel: the pad goes analog (digital input and pulls off).
static void esp32_adc_configure(const machine_adc_obj_t *self) {
    esp32_adc_check_ready(self->block);
    host_pin_config(self->gpio, HOST_PIN_IN, 0, -1, NULL);
}

// The input range of each attenuation, in millivolts: about 1.1 V at 0 dB,
// and at 11 dB what the pin can carry, the board's 3.3 V.
static int esp32_adc_range_mv(mp_int_t atten) {
    static const uint16_t range_mv[] = { 1100, 1500, 2200 };
    return atten == ADC_ATTEN_DB_11 ? host_adc_vref_mv() : range_mv[atten];
}

static uint32_t esp32_adc_read_raw(const machine_adc_obj_t *self) {
    esp32_adc_check_ready(self->block);
    return host_adc_read(self->gpio, esp32_adc_range_mv(esp32_adc_atten_get(self)), self->block->bits);
}

static void mp_machine_adc_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    const machine_adc_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "ADC(Pin(%u), atten=%u)", self->gpio, esp32_adc_atten_get(self));
}

// (Re)initialises a channel: its block on, 12 bits, the attenuation given or 11 dB.
void esp32_adc_init_helper(const machine_adc_obj_t *self, size_t n_pos_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_atten };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_atten, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_pos_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    self->block->ready = true;
    mp_int_t atten = args[ARG_atten].u_int;
    esp32_adc_atten_set(self, atten != -1 ? atten : ADC_ATTEN_DB_11);
    esp32_adc_block_bits_set(self->block, ESP32_ADC_BITS_MAX);
    esp32_adc_configure(self);
}

static void mp_machine_adc_init_helper(machine_adc_obj_t *self, size_t n_pos_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    esp32_adc_init_helper(self, n_pos_args, pos_args, kw_args);
}

static void mp_machine_adc_deinit(machine_adc_obj_t *self) {
    self->block->ready = false;
}

// ADC(pin, *, atten): the channel on that pin (a constant object).
static mp_obj_t mp_machine_adc_make_new(const mp_obj_type_t *type, size_t n_pos_args, size_t n_kw_args, const mp_obj_t *args) {
    mp_arg_check_num(n_pos_args, n_kw_args, 1, MP_OBJ_FUN_ARGS_MAX, true);
    int gpio = machine_pin_get_id(args[0]);
    const machine_adc_obj_t *self = esp32_adc_find(NULL, -1, gpio);
    if (self == NULL) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid pin"));
    }
    mp_map_t kw_args;
    mp_map_init_fixed_table(&kw_args, n_kw_args, args + n_pos_args);
    esp32_adc_init_helper(self, n_pos_args - 1, args + 1, &kw_args);
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t mp_machine_adc_block(machine_adc_obj_t *self) {
    return MP_OBJ_FROM_PTR(self->block);
}

static mp_int_t mp_machine_adc_read(machine_adc_obj_t *self) {
    return esp32_adc_read_raw(self);
}

static mp_int_t mp_machine_adc_read_u16(machine_adc_obj_t *self) {
    return adc_scale_u16(esp32_adc_read_raw(self), self->block->bits);
}

// Microvolts through ESP-IDF's calibration, which works in whole millivolts
// on the reading brought to 12 bits.
static mp_int_t mp_machine_adc_read_uv(machine_adc_obj_t *self) {
    uint32_t raw = esp32_adc_read_raw(self) << (ESP32_ADC_BITS_MAX - self->block->bits);
    uint32_t full = (1 << ESP32_ADC_BITS_MAX) - 1;
    uint32_t mv = (raw * esp32_adc_range_mv(esp32_adc_atten_get(self)) + full / 2) / full;
    return (mp_int_t)mv * 1000;
}

static void mp_machine_adc_atten_set(machine_adc_obj_t *self, mp_int_t atten) {
    esp32_adc_atten_set(self, atten);
    esp32_adc_configure(self);
}

static void mp_machine_adc_width_set(machine_adc_obj_t *self, mp_int_t width) {
    esp32_adc_block_bits_set(self->block, width);
    esp32_adc_configure(self);
}

#endif // MICROPY_BOARD_ESP32
