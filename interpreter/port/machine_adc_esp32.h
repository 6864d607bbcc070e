// The ESP32's ADC, shared by machine.ADC (machine_adc.c) and machine.ADCBlock
// (machine_adc_block.c), as ports/esp32/adc.h shares it.
#ifndef BOARDLAB_MACHINE_ADC_ESP32_H
#define BOARDLAB_MACHINE_ADC_ESP32_H

#include "py/obj.h"
#include "extmod/modmachine.h"

#define ESP32_ADC_BITS_MIN (9)
#define ESP32_ADC_BITS_MAX (12)
#define ESP32_ADC_COUNT (18)

// (extmod/modmachine.h names the types.) ADC1 is unit 0, ADC2 unit 1 (ESP-IDF's adc_unit_t).
struct _machine_adc_block_obj_t {
    mp_obj_base_t base;
    uint8_t unit;
    uint8_t bits;
    bool ready;         // set up by an ADC's init, undone by deinit()
};

struct _machine_adc_obj_t {
    mp_obj_base_t base;
    machine_adc_block_obj_t *block;
    int8_t channel;
    int8_t gpio;
};

extern machine_adc_block_obj_t esp32_adc_block[2];

// The channel on this block (NULL: any), channel number and pin (-1: any), or NULL.
const machine_adc_obj_t *esp32_adc_find(const machine_adc_block_obj_t *block, int channel, int gpio);
void esp32_adc_init_helper(const machine_adc_obj_t *self, size_t n_pos_args, const mp_obj_t *pos_args, mp_map_t *kw_args);
void esp32_adc_block_bits_set(machine_adc_block_obj_t *block, mp_int_t bits);

#endif
