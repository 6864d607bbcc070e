// machine.ADCBlock on the ESP32, the port half included by
// extmod/machine_adc_block.c (MICROPY_PY_MACHINE_ADC_BLOCK_INCLUDEFILE),
// after ports/esp32/machine_adc_block.c: a unit's bit width, and its channels.
#include "py/mphal.h"
#include "machine_adc_esp32.h"

machine_adc_block_obj_t esp32_adc_block[2] = {
    {{&machine_adc_block_type}, 0, ESP32_ADC_BITS_MAX, false},
    {{&machine_adc_block_type}, 1, ESP32_ADC_BITS_MAX, false},
};

static void mp_machine_adc_block_print(const mp_print_t *print, machine_adc_block_obj_t *self) {
    mp_printf(print, "ADCBlock(%u, bits=%u)", self->unit, self->bits);
}

static void mp_machine_adc_block_bits_set(machine_adc_block_obj_t *self, mp_int_t bits) {
    esp32_adc_block_bits_set(self, bits);
}

static machine_adc_block_obj_t *mp_machine_adc_block_get(mp_int_t unit) {
    for (size_t i = 0; i < MP_ARRAY_SIZE(esp32_adc_block); ++i) {
        if (esp32_adc_block[i].unit == unit) {
            return &esp32_adc_block[i];
        }
    }
    return NULL;
}

static machine_adc_obj_t *mp_machine_adc_block_connect(machine_adc_block_obj_t *self, mp_int_t channel, mp_hal_pin_obj_t gpio, mp_map_t *kw_args) {
    const machine_adc_obj_t *adc = esp32_adc_find(self, channel, gpio);
    if (adc == NULL) {
        return NULL;
    }
    esp32_adc_init_helper(adc, 0, NULL, kw_args);
    return (machine_adc_obj_t *)adc;
}
