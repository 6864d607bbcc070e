#include "py/runtime.h"
#include "board_machine.h"
#include "machine_pin.h"
#include "machine_pwm.h"
#include "machine_timer.h"
#include "machine_uart.h"

void board_machine_event(const host_event_t *event) {
    switch (event->kind) {
        case EVENT_PIN_IRQ:
            machine_pin_irq_event(event->a, event->b);
            break;
        case EVENT_TIMER:
            machine_timer_event(event->a, event->b);
            break;
        case EVENT_UART_RX:
        case EVENT_UART_TX:
            machine_uart_event(event->a, event->kind, event->b);
            break;
    }
}

void board_machine_deinit(void) {
    machine_pin_deinit();
    machine_pwm_deinit_all();
    machine_timer_deinit_all();
    board_system_deinit();
    machine_uart_deinit_all();
}
