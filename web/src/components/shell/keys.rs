//! Keyboard shortcuts of the page: Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (Cmd instead of
//! Ctrl on macOS), except while the user is typing in a field, where the field's own undo
//! applies. Pure, tested natively; `undo_redo.rs` feeds it the key events.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    Undo,
    Redo,
}

/// The modifier keys held with a key press.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub ctrl: bool,
    pub meta: bool,
    pub shift: bool,
    pub alt: bool,
}

/// The shortcut a key press asks for. `mac`: Cmd is the command key, Ctrl is left alone.
pub fn shortcut(key: &str, m: Modifiers, mac: bool) -> Option<Shortcut> {
    let command = if mac { m.meta && !m.ctrl } else { m.ctrl && !m.meta };
    if !command || m.alt {
        return None;
    }
    match (key.to_ascii_lowercase().as_str(), m.shift) {
        ("z", false) => Some(Shortcut::Undo),
        ("z", true) => Some(Shortcut::Redo),
        ("y", false) if !mac => Some(Shortcut::Redo),
        _ => None,
    }
}

/// Is the key press aimed at a field the user types in? `tag` is the element's tag name,
/// `input_type` its `type` attribute (for `<input>`), `editable` its `isContentEditable`.
pub fn is_typing_target(tag: &str, input_type: &str, editable: bool) -> bool {
    if editable {
        return true;
    }
    match tag.to_ascii_lowercase().as_str() {
        "textarea" => true,
        "input" => !matches!(
            input_type.to_ascii_lowercase().as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "range" | "color" | "image"
        ),
        _ => false,
    }
}

/// Is the page running on macOS (or iOS), judging by `navigator.platform`?
pub fn is_mac(platform: &str) -> bool {
    let p = platform.to_ascii_lowercase();
    p.starts_with("mac") || p.starts_with("iphone") || p.starts_with("ipad")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTRL: Modifiers = Modifiers { ctrl: true, meta: false, shift: false, alt: false };
    const CTRL_SHIFT: Modifiers = Modifiers { ctrl: true, meta: false, shift: true, alt: false };
    const CMD: Modifiers = Modifiers { ctrl: false, meta: true, shift: false, alt: false };
    const CMD_SHIFT: Modifiers = Modifiers { ctrl: false, meta: true, shift: true, alt: false };

    #[test]
    fn ctrl_z_undoes_and_ctrl_shift_z_or_ctrl_y_redo() {
        assert_eq!(shortcut("z", CTRL, false), Some(Shortcut::Undo));
        // With Shift held, browsers report the key as `Z`.
        assert_eq!(shortcut("Z", CTRL_SHIFT, false), Some(Shortcut::Redo));
        assert_eq!(shortcut("y", CTRL, false), Some(Shortcut::Redo));
    }

    #[test]
    fn macs_use_cmd() {
        assert_eq!(shortcut("z", CMD, true), Some(Shortcut::Undo));
        assert_eq!(shortcut("z", CMD_SHIFT, true), Some(Shortcut::Redo));
        assert_eq!(shortcut("z", CTRL, true), None);
        assert_eq!(shortcut("z", CMD, false), None);
    }

    #[test]
    fn other_keys_and_extra_modifiers_are_not_shortcuts() {
        assert_eq!(shortcut("z", Modifiers::default(), false), None);
        assert_eq!(shortcut("x", CTRL, false), None);
        assert_eq!(shortcut("z", Modifiers { alt: true, ..CTRL }, false), None);
        assert_eq!(shortcut("z", Modifiers { meta: true, ..CTRL }, false), None);
    }

    #[test]
    fn typing_in_fields_keeps_the_fields_own_undo() {
        assert!(is_typing_target("INPUT", "text", false));
        assert!(is_typing_target("INPUT", "", false));
        assert!(is_typing_target("input", "number", false));
        assert!(is_typing_target("TEXTAREA", "", false));
        assert!(is_typing_target("DIV", "", true));
        assert!(!is_typing_target("INPUT", "checkbox", false));
        assert!(!is_typing_target("BUTTON", "", false));
        assert!(!is_typing_target("BODY", "", false));
    }

    #[test]
    fn platforms() {
        assert!(is_mac("MacIntel"));
        assert!(is_mac("iPhone"));
        assert!(!is_mac("Linux x86_64"));
        assert!(!is_mac("Win32"));
    }
}
