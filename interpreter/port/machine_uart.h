// What machine_uart.c gives the rest of the port.
#ifndef BOARDLAB_MACHINE_UART_H
#define BOARDLAB_MACHINE_UART_H

// An EVENT_UART_RX (what: UART_RX_DATA or UART_RX_IDLE) or EVENT_UART_TX
// for UART `id`: its IRQ handler runs if it asked for that.
void machine_uart_event(int id, int kind, int what);
// The soft reset: every UART off, their IRQs dropped.
void machine_uart_deinit_all(void);

#endif
