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
HOST_IMPORT(pin_config) void host_pin_config(int pin, int mode, int pull, int value, const char *alt);
HOST_IMPORT(pin_write) void host_pin_write(int pin, int value);
HOST_IMPORT(pin_read) int host_pin_read(int pin);
// Arm the pin's IRQ for these edges (1 rising, 2 falling; 0 disarms):
// edges then arrive as EVENT_PIN_IRQ.
HOST_IMPORT(pin_irq) void host_pin_irq(int pin, int edges);

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

#endif
