// The board's host interface: everything the firmware asks of the world
// outside the chip (console, clock, events, and the hardware model the
// simulator keeps in Python). Each is one wasm import from module "board";
// interpreter/host.py implements them. Pointers are offsets in the
// firmware's linear memory.
#ifndef BOARDLAB_HOST_H
#define BOARDLAB_HOST_H

#include <stdint.h>
#include <stddef.h>

#define HOST_IMPORT(name) __attribute__((import_module("board"), import_name(#name)))

// Console: the USB serial port.
HOST_IMPORT(stdout_write) void host_stdout_write(const char *data, size_t len);
// Up to `max` bytes of input that have arrived; 0 when none (never blocks).
HOST_IMPORT(stdin_read) size_t host_stdin_read(char *buf, size_t max);
// The byte that raises KeyboardInterrupt instead of arriving as input (-1: none).
HOST_IMPORT(set_interrupt_char) void host_set_interrupt_char(int c);

// Clock: microseconds since power-on, on the board's clock (real or virtual).
HOST_IMPORT(ticks_us) uint64_t host_ticks_us(void);
// What wait() and poll() answer: nothing new, events pending, or the chip
// must stop now (a reset, power off): the firmware then traps.
#define HOST_NOTHING (0)
#define HOST_PENDING (1)
#define HOST_RESET (2)

// Wait until an event is pending, input arrives, or `timeout_us` pass
// (-1: no timeout). On virtual time, waiting costs no wall time.
HOST_IMPORT(wait) int host_wait(int64_t timeout_us);
// Called by the VM every so many bytecode branches: `steps` of them since
// the last call (virtual time advances by them).
HOST_IMPORT(poll) int host_poll(uint32_t steps);

// Events, as the host posts them (interrupt requests).
#define EVENT_KEYBOARD_INTERRUPT (1)  // Ctrl-C on the console
#define EVENT_PIN_IRQ (2)             // a: pin, b: the edge (1 rise, 2 fall)
#define EVENT_TIMER (3)               // a: the timer's id
#define EVENT_UART_RX (4)             // a: the UART's id, b: UART_RX_DATA or UART_RX_IDLE
#define EVENT_UART_TX (5)             // a: the UART's id: all it was given to send has left

typedef struct _host_event_t {
    int32_t kind;
    int32_t a, b, c;
} host_event_t;

// The next pending event, written to `event`; 0 when there is none.
HOST_IMPORT(next_event) int host_next_event(host_event_t *event);

// Resets. reset() records why the chip stops; the firmware traps next.
#define RESET_CAUSE_POWER_ON (0)
#define RESET_CAUSE_HARD (1)
#define RESET_CAUSE_WATCHDOG (2)
#define RESET_CAUSE_DEEPSLEEP (3)
HOST_IMPORT(reset) void host_reset(int deepsleep);
HOST_IMPORT(reset_cause) int host_reset_cause(void);
// The firmware's soft reset: the host stops timers, IRQs and PWM outputs.
HOST_IMPORT(soft_reset) void host_soft_reset(void);

// The chip's identity and its hardware random number generator.
HOST_IMPORT(unique_id) void host_unique_id(uint8_t id[8]);
HOST_IMPORT(random) uint32_t host_random(void);

// The flash's filesystem region (MICROPY_HW_FLASH_STORAGE_BYTES), kept by
// the host in the board's flash file: byte offsets into that region. An
// erased byte reads 0xff; a write stores the bytes as given.
HOST_IMPORT(flash_read) void host_flash_read(uint32_t offset, void *buf, size_t len);
HOST_IMPORT(flash_write) void host_flash_write(uint32_t offset, const void *buf, size_t len);
HOST_IMPORT(flash_erase) void host_flash_erase(uint32_t offset, size_t len);

// GPIO: the pin's configuration and level, in the host's GPIO bank
// (interpreter/gpio.py). Pins are numbered as the chip numbers them; pins of
// another chip (the Pico W's LED, on its wireless chip) follow the chip's own.
#define HOST_PIN_IN (0)
#define HOST_PIN_OUT (1)
#define HOST_PIN_OPEN_DRAIN (2)
#define HOST_PIN_ALT (3)
#define HOST_PIN_PULL_UP (1)
#define HOST_PIN_PULL_DOWN (2)
// mode: HOST_PIN_*; pull: a mask of HOST_PIN_PULL_*; value: the output
// latch to set first (-1: keep it); alt: the alternate function's name
// for HOST_PIN_ALT ("PWM", "I2C", "UART", "SPI"), else NULL.
// pin_config and pin_write answer as poll() does: HOST_PENDING when the
// change raised an event (an edge on a pin with an IRQ), so that the
// firmware takes it at once, as the chip's interrupt would fire.
HOST_IMPORT(pin_config) int host_pin_config(int pin, int mode, int pull, int value, const char *alt);
HOST_IMPORT(pin_write) int host_pin_write(int pin, int value);
// The level the pin reads (what drives it from outside is sampled now).
HOST_IMPORT(pin_read) int host_pin_read(int pin);
// How the pin is set: what pin_config set last, and the output latch.
typedef struct _host_pin_settings_t {
    int32_t mode;
    int32_t pull;
    int32_t output;
    char alt[12];       // NUL-terminated; "" unless mode is HOST_PIN_ALT
} host_pin_settings_t;
HOST_IMPORT(pin_settings) void host_pin_settings(int pin, host_pin_settings_t *settings);
// Arm the pin's IRQ for these edges (1 rising, 2 falling; 0 disarms):
// edges then arrive as EVENT_PIN_IRQ.
HOST_IMPORT(pin_irq) void host_pin_irq(int pin, int edges);
// time_pulse_us while the pin is not yet at `level`: on virtual time the
// clock moves on to the next event that may change it (or by `timeout_us`),
// so a measurement costs no wall time; on real time it returns at once.
HOST_IMPORT(pin_wait) void host_pin_wait(int pin, int level, uint32_t timeout_us);
// machine.bitstream's high/low encoding: each bit of `buf` (MSB first) as a
// high then a low of timing_ns[0..1] for a 0, timing_ns[2..3] for a 1. The
// pin is an output; what is wired to it (NeoPixels) receives the bytes.
HOST_IMPORT(bitstream) void host_bitstream(int pin, const uint32_t timing_ns[4], const uint8_t *buf, size_t len);
// The ESP32's touch sensor: the count of the pin's touch channel (lower
// when touched).
HOST_IMPORT(touch_read) int host_touch_read(int pin);

// ADC: one conversion of `pin`'s voltage (or, for HOST_ADC_CORE_TEMP, of the
// RP2040's temperature sensor), `bits` bits over 0..range_mv millivolts, as
// the host's model has it (the parts wired to the pin, noise). The host
// keeps the reading in the pin's state for the pin view.
#define HOST_ADC_CORE_TEMP (-1)
HOST_IMPORT(adc_read) int host_adc_read(int pin, int range_mv, int bits);
// The ADC's reference voltage on this board, in millivolts (the Pico's
// ADC_VREF, the ESP32's full range at 11 dB).
HOST_IMPORT(adc_vref_mv) int host_adc_vref_mv(void);

// PWM: the signal a PWM channel puts on `pin` (when the pin's function is
// PWM): high for `high` of every `period` counts; period 0: stopped.
HOST_IMPORT(pwm_output) void host_pwm_output(int pin, uint32_t high, uint32_t period);

// I2C: one transaction on the bus wired to pins (scl, sda), clocked at
// `freq` Hz, as extmod's mp_machine_i2c_transfer has them: `flags` are its
// MP_MACHINE_I2C_FLAG_* bits. A write sends `wlen` bytes of `wbuf`, a read
// (FLAG_READ) fills `rlen` bytes of `rbuf`; with FLAG_WRITE1 the write comes
// first, then a repeated start and the read. `timeout_us` bounds how long a
// device may hold the clock low (or, with HOST_I2C_TIMEOUT_WHOLE, the whole
// transaction, as the Pico SDK counts it). Board time passes by the bus time.
// Returns the number of data bytes acknowledged (a write: until the first
// NACK) plus the bytes read, or one of:
#define HOST_I2C_NACK (-1)               // the address was not acknowledged
#define HOST_I2C_TIMEOUT (-2)            // the bus timed out
#define HOST_I2C_TIMEOUT_WHOLE (0x100)   // flag: timeout_us is for the whole transaction
HOST_IMPORT(i2c_transfer) int host_i2c_transfer(int scl, int sda, uint32_t freq, uint32_t timeout_us,
    int addr, const uint8_t *wbuf, size_t wlen, uint8_t *rbuf, size_t rlen, int flags);

// SPI: `len` bytes clocked out on the bus whose clock is pin `sck` (MOSI
// `mosi`, MISO `miso`, -1 when unused) at `baudrate`, most significant bit
// first; what came back on MISO is written to `dest` (NULL: not kept).
// Board time passes by the bus time.
HOST_IMPORT(spi_transfer) void host_spi_transfer(int sck, int mosi, int miso, uint32_t baudrate,
    const uint8_t *src, uint8_t *dest, size_t len);

// UART `id` on: characters of `frame_bits` bits (start, data, parity, stop)
// at `baudrate`. From now on what reaches its RX pin is received, into a
// receive buffer of `rx_bytes` (the port's ring buffer and the chip's RX
// FIFO): what arrives while it is full is lost. Off: nothing is received.
HOST_IMPORT(uart_init) void host_uart_init(int id, uint32_t baudrate, int frame_bits, int rx_bytes);
HOST_IMPORT(uart_deinit) void host_uart_deinit(int id);
// Send `len` bytes after those still being sent; returns the board time
// (host_ticks_us) at which the last of them has left the TX pin. An
// EVENT_UART_TX follows then.
HOST_IMPORT(uart_write) uint64_t host_uart_write(int id, const uint8_t *data, size_t len);
// Up to `max` received bytes, taken from the receive buffer (0: none; never
// waits); uart_any: how many there are. EVENT_UART_RX tells of bytes
// arriving (UART_RX_DATA, as the first and the last of a burst come) and
// of the line going idle after them (UART_RX_IDLE).
#define UART_RX_DATA (1)
#define UART_RX_IDLE (2)
HOST_IMPORT(uart_read) size_t host_uart_read(int id, uint8_t *buf, size_t max);
HOST_IMPORT(uart_any) size_t host_uart_any(int id);

// The firmware cannot go on (an NLR jump with no handler, a failed
// assertion): the board resets, as a real one does on a hard fault.
HOST_IMPORT(fatal) __attribute__((noreturn)) void host_fatal(const char *msg, size_t len);

// ---- Time and the system (interpreter/hal_system.py) ----------------------

// machine.Timer: alarm `slot` is due `period_us` from now on the board's
// clock, and, when `periodic`, every `period_us` after each due time (so it
// does not drift). Each expiry arrives as EVENT_TIMER, a: the slot, b: the
// generation given here (the firmware drops expiries of an older arming).
HOST_IMPORT(timer_start) void host_timer_start(int slot, int generation, uint64_t period_us, int periodic);
HOST_IMPORT(timer_stop) void host_timer_stop(int slot);

// The RTC, kept outside the chip: what it read at board time 0 (power-on or
// the last hard reset), in microseconds since the port's epoch; the RTC
// reads that plus ticks_us(). HOST_RTC_STOPPED when it is not running (after
// a power-on, or a reset that also resets the RTC).
#define HOST_RTC_STOPPED (INT64_MIN)
HOST_IMPORT(rtc_base) int64_t host_rtc_base(void);
HOST_IMPORT(rtc_set_base) void host_rtc_set_base(int64_t base_us);
// The ESP32's RTC memory: up to `max` bytes kept; its length is returned.
HOST_IMPORT(rtc_memory_read) size_t host_rtc_memory_read(void *buf, size_t max);
HOST_IMPORT(rtc_memory_write) void host_rtc_memory_write(const void *buf, size_t len);

// The watchdog: start (or restart) it with this timeout; feed restarts the
// count. Its expiry is a hard reset with the cause RESET_CAUSE_WATCHDOG.
HOST_IMPORT(wdt_start) void host_wdt_start(uint32_t timeout_ms);
HOST_IMPORT(wdt_feed) void host_wdt_feed(void);

// The CPU clock (machine.freq): the peripherals' clocks follow it.
HOST_IMPORT(cpu_freq) uint32_t host_cpu_freq(void);
HOST_IMPORT(set_cpu_freq) void host_set_cpu_freq(uint32_t hz);

// machine.disable_irq(): while masked, events wait in the host's queue
// (poll and wait do not report them); a reset still stops the chip.
HOST_IMPORT(irq_mask) void host_irq_mask(int masked);

// machine.mem8/16/32: a read or write of `size` bytes on the chip's bus, as
// the board's memory map answers it (interpreter/hal_system.py).
#define HOST_MEM_OK (0)
#define HOST_MEM_FAULT (1)
HOST_IMPORT(mem_read) int host_mem_read(uint32_t address, int size, uint32_t *value);
HOST_IMPORT(mem_write) int host_mem_write(uint32_t address, int size, uint32_t value);
// The chip locks up (the RP2040 after a hard fault): nothing runs until a
// reset or the watchdog's. The firmware traps next.
HOST_IMPORT(halt) void host_halt(void);
// The ESP32's deep sleep: all but the RTC stops (timers, the watchdog) for
// `timeout_us` (-1: until the reset button), then it wakes with a reset,
// RESET_CAUSE_DEEPSLEEP. The firmware traps next.
HOST_IMPORT(deepsleep) void host_deepsleep(int64_t timeout_us);

// The ESP32's NVS (esp32.NVS), kept by the host with the board's flash.
// Answers are ESP-IDF's error codes (0: ESP_OK). `kind`: NVS_KIND_*.
#define NVS_KIND_I32 (1)
#define NVS_KIND_BLOB (2)
HOST_IMPORT(nvs_set) int host_nvs_set(const char *ns, const char *key, int kind, const void *data, size_t len);
// Reads into `buf` (up to `max` bytes); `*len` becomes the value's length.
HOST_IMPORT(nvs_get) int host_nvs_get(const char *ns, const char *key, int kind, void *buf, size_t max, size_t *len);
HOST_IMPORT(nvs_erase) int host_nvs_erase(const char *ns, const char *key);

#endif
