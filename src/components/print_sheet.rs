//! A stylesheet that holds only while a printable view is open (the
//! receipt's page size, the poster's page and layout): a constructed sheet
//! adopted by the document, not a `<style>` element or attribute, so a CSP
//! without 'unsafe-inline' allows it. The rules come with the code of the
//! part that opens the view, not with the first load's CSS.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The adopted sheet; dropping it takes it out of the document.
pub struct AdoptedSheet(JsValue);

impl AdoptedSheet {
    /// Adopts a new sheet of `css`; `None` where the browser cannot.
    pub fn adopt(css: &str) -> Option<AdoptedSheet> {
        let ctor: Function = Reflect::get(&leptos::prelude::window(), &"CSSStyleSheet".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let sheet = AdoptedSheet(Reflect::construct(&ctor, &Array::new()).ok()?);
        sheet.replace(css)?;
        let doc = leptos::prelude::document();
        let sheets = Array::from(&Reflect::get(&doc, &"adoptedStyleSheets".into()).ok()?);
        sheets.push(&sheet.0);
        Reflect::set(&doc, &"adoptedStyleSheets".into(), &sheets).ok()?;
        Some(sheet)
    }

    /// Puts `css` in place of the sheet's rules.
    pub fn replace(&self, css: &str) -> Option<()> {
        let replace: Function = Reflect::get(&self.0, &"replaceSync".into())
            .ok()?
            .dyn_into()
            .ok()?;
        replace.call1(&self.0, &css.into()).ok().map(|_| ())
    }
}

impl Drop for AdoptedSheet {
    fn drop(&mut self) {
        let doc = leptos::prelude::document();
        if let Ok(list) = Reflect::get(&doc, &"adoptedStyleSheets".into()) {
            let kept: Array = Array::from(&list).iter().filter(|s| *s != self.0).collect();
            let _ = Reflect::set(&doc, &"adoptedStyleSheets".into(), &kept);
        }
    }
}
