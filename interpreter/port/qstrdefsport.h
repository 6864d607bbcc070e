// qstrs specific to this port
// *FORMAT-OFF*

// sys.path's entry for the flash's library folder
Q(/lib)
