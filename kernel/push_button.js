// The push button of %pins (push_button.py): pressed while a mouse button,
// a finger or the space key holds it down, released when let go; the "hold"
// box keeps it pressed. Its state is the synced traits `pressed` and `held`:
// every view of the widget, and the kernel, see the same.

function render({ model, el }) {
  el.classList.add("boardlab-push");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "boardlab-push-button";
  button.title = "pressed while you hold it down: mouse, touch or space key";
  const hold = document.createElement("input");
  hold.type = "checkbox";
  const holdLabel = document.createElement("label");
  holdLabel.className = "boardlab-push-hold";
  holdLabel.title = "keep the button pressed until this is unticked";
  holdLabel.append(hold, "hold");
  el.append(button, holdLabel);

  function show() {
    button.textContent = model.get("label");
    button.setAttribute("aria-pressed", String(model.get("pressed")));
    hold.checked = model.get("held");
  }

  function save(changes) {
    let changed = false;
    for (const [name, value] of Object.entries(changes)) {
      if (model.get(name) !== value) {
        model.set(name, value);
        changed = true;
      }
    }
    if (changed) model.save_changes();
  }

  // What holds the button down: a pointer's id, "key", or null. Its release
  // is watched on the whole page, not on the button: the pointer may leave
  // the button, and the view may be drawn anew meanwhile (the notebook's
  // copy of %pins is refreshed after each cell), which takes the button away.
  let holder = null;

  function onPointerUp(event) {
    if (event.pointerId === holder) letGo();
  }

  function onKeyUp(event) {
    if (event.key === " " && holder === "key") letGo();
  }

  function down(who) {
    if (holder !== null) return;
    holder = who;
    document.addEventListener("pointerup", onPointerUp, true);
    document.addEventListener("pointercancel", onPointerUp, true);
    document.addEventListener("keyup", onKeyUp, true);
    window.addEventListener("blur", letGo);    // the release would go to another window
    save({ pressed: true });
  }

  function letGo() {
    if (holder === null) return;
    holder = null;
    document.removeEventListener("pointerup", onPointerUp, true);
    document.removeEventListener("pointercancel", onPointerUp, true);
    document.removeEventListener("keyup", onKeyUp, true);
    window.removeEventListener("blur", letGo);
    if (!model.get("held")) save({ pressed: false });
  }

  button.addEventListener("pointerdown", (event) => {
    if (event.button === 0) down(event.pointerId);   // the main button; a touch, a pen tip
  });
  button.addEventListener("keydown", (event) => {
    if (event.key !== " ") return;
    event.preventDefault();              // no click, no scrolling
    event.stopPropagation();             // not a notebook shortcut
    if (!event.repeat) down("key");
  });
  hold.addEventListener("change", () => {
    save({ held: hold.checked, pressed: hold.checked || holder !== null });
  });

  model.on("change:label", show);
  model.on("change:pressed", show);
  model.on("change:held", show);
  show();
  // A hold in progress outlives the view: it ends when the pointer or key does.
  return () => {
    model.off("change:label", show);
    model.off("change:pressed", show);
    model.off("change:held", show);
  };
}

export default { render };
