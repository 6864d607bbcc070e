"""pyserial looks up `sim://` as `boardlab.interpreter.urlhandler.protocol_sim`."""
