//! Component tests in headless Chromium: the keypad's entry rules as a cashier meets them.

use leptos::prelude::*;
use mixpay_pos::components::keypad::Keypad;
use mixpay_pos::domain::keypad::{Key, KeypadEntry};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

struct Mounted {
    root: web_sys::HtmlElement,
    entry: RwSignal<KeypadEntry>,
    notice: RwSignal<Option<String>>,
}

fn mount_keypad(decimals: u32) -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let entry = RwSignal::new(KeypadEntry::new(decimals));
    let notice = RwSignal::new(None);
    // What the amount page does with a key: apply it, say why it was refused.
    let on_key = Callback::new(move |key: Key| {
        let mut refused = None;
        entry.update(|e| refused = e.press(key).err());
        notice.set(refused.map(|r| r.to_string()));
    });
    leptos::mount::mount_to(root.clone(), move || {
        view! { <Keypad decimals=Signal::derive(move || entry.with(|e| e.decimals())) on_key /> }
    })
    .forget();
    Mounted {
        root,
        entry,
        notice,
    }
}

impl Mounted {
    fn button(&self, name: &str) -> web_sys::HtmlElement {
        let buttons = self.root.query_selector_all("button").unwrap();
        (0..buttons.length())
            .map(|i| {
                buttons
                    .item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::HtmlElement>()
            })
            .find(|b| {
                b.get_attribute("aria-label")
                    .unwrap_or_else(|| b.inner_text())
                    == name
            })
            .unwrap_or_else(|| panic!("no button named {name}"))
    }

    async fn tap(&self, names: &[&str]) {
        for name in names {
            self.button(name).click();
        }
        leptos::task::tick().await;
    }

    fn text(&self) -> String {
        self.entry.with_untracked(|e| e.text().to_string())
    }
}

#[wasm_bindgen_test]
async fn every_key_is_a_named_button() {
    let pad = mount_keypad(2);
    for name in [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        ".",
        "00",
        "Clear",
        "Backspace",
    ] {
        assert_eq!(pad.button(name).tag_name(), "BUTTON");
    }
}

#[wasm_bindgen_test]
async fn usd_entry_stops_at_two_places_and_says_why() {
    let pad = mount_keypad(2);
    pad.tap(&["1", "2", ".", "3", "4"]).await;
    assert_eq!(pad.text(), "12.34");
    assert_eq!(pad.notice.get_untracked(), None);
    pad.tap(&["5"]).await;
    assert_eq!(pad.text(), "12.34");
    assert_eq!(
        pad.notice.get_untracked().as_deref(),
        Some("At most 2 decimal places.")
    );
    pad.tap(&["Backspace", "Backspace", "Backspace"]).await;
    assert_eq!(pad.text(), "12");
    assert_eq!(pad.notice.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn jpy_disables_the_point() {
    let pad = mount_keypad(0);
    let point = pad.button(".");
    assert!(point.has_attribute("disabled"));
    pad.tap(&["0", "5", "0", "0"]).await;
    assert_eq!(pad.text(), "500");
}

#[wasm_bindgen_test]
async fn double_zero_and_clear() {
    let jpy = mount_keypad(0);
    jpy.tap(&["1", "2", "00"]).await;
    assert_eq!(jpy.text(), "1200");
    let usd = mount_keypad(2);
    usd.tap(&["1", "2", ".", "5", "00"]).await;
    assert_eq!(usd.text(), "12.5", "00 past the places is refused whole");
    assert_eq!(
        usd.notice.get_untracked().as_deref(),
        Some("At most 2 decimal places.")
    );
    usd.tap(&["Clear"]).await;
    assert_eq!(usd.text(), "");
}

#[wasm_bindgen_test]
async fn btc_takes_eight_places() {
    let pad = mount_keypad(8);
    pad.tap(&[".", "0", "0", "0", "0", "0", "0", "0", "1", "9"])
        .await;
    assert_eq!(pad.text(), "0.00000001");
}

#[wasm_bindgen_test]
async fn qr_codes_are_labelled_images_without_inner_html_pixels_for_the_sale_svg_elsewhere() {
    use mixpay_pos::components::qr::{PixelQrCode, QrCode};
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let link =
        RwSignal::new("https://mixpay.me/code/525502dd-e552-4505-b114-32fe32ff23c2".to_string());
    leptos::mount::mount_to(root.clone(), move || {
        view! {
            <PixelQrCode link=link label="QR code to pay 1.00 USD".to_string() />
            <QrCode link=link label="On paper".to_string() />
        }
    })
    .forget();
    leptos::task::tick().await;
    let codes = root.query_selector_all("[role=img]").unwrap();
    assert_eq!(codes.length(), 2);
    let qr: web_sys::Element = codes.get(0).unwrap().unchecked_into();
    let paper: web_sys::Element = codes.get(1).unwrap().unchecked_into();
    assert_eq!(
        qr.get_attribute("aria-label").unwrap(),
        "QR code to pay 1.00 USD"
    );
    // An <img> of a data: image, not markup parsed into the page.
    assert!(root.query_selector("svg").unwrap().is_none(), "no inline SVG");
    let img = qr.query_selector("img").unwrap().expect("an image");
    let src = img.get_attribute("src").unwrap();
    // The sale's: a PNG, one pixel per module, drawn unsmoothed.
    assert!(src.starts_with("data:image/png;base64,iVBORw0KGgo"), "{src}");
    assert!(qr.class_list().contains("pixels"), "drawn unsmoothed (style/main.css)");
    assert_eq!(img.get_attribute("alt").unwrap(), "", "the label is the box's");
    assert_eq!(paper.get_attribute("aria-label").unwrap(), "On paper");
    // Elsewhere (and on paper): the SVG, scaled to its box as vectors.
    assert!(!paper.class_list().contains("pixels"));
    let paper_src = paper.query_selector("img").unwrap().unwrap().get_attribute("src").unwrap();
    assert!(paper_src.starts_with("data:image/svg+xml,%3Csvg%20"), "{paper_src}");
    assert!(paper_src.contains("width%3D%22100%25%22"), "it scales to its box");
    let first = qr.inner_html();
    link.set("https://mixpay.me/code/other".into());
    leptos::task::tick().await;
    assert_ne!(qr_html(&root), first, "a new link redraws the code");
}

fn qr_html(root: &web_sys::HtmlElement) -> String {
    root.query_selector("[role=img]")
        .unwrap()
        .unwrap()
        .inner_html()
}

#[wasm_bindgen_test]
async fn the_tip_screen_offers_each_percentage_with_its_amount_and_reports_the_choice() {
    use mixpay_pos::components::tip_screen::TipScreen;
    use mixpay_pos::domain::money::Amount;
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let chosen = RwSignal::new(Vec::<Option<Amount>>::new());
    leptos::mount::mount_to(root.clone(), move || {
        // The tip screen speaks the app's language, which it reads from the app's state.
        provide_context(mixpay_pos::state::app_state::AppState::new());
        view! {
            <TipScreen
                subtotal=Amount::parse("333").unwrap()
                decimals=0
                symbol="JPY".to_string()
                percents=vec![15, 20]
                on_choose=Callback::new(move |tip| chosen.update(|c| c.push(tip)))
                on_back=Callback::new(|_| {})
            />
        }
    })
    .forget();
    let buttons = root.query_selector_all("button").unwrap();
    let texts: Vec<(web_sys::HtmlElement, String)> = (0..buttons.length())
        .map(|i| {
            let b: web_sys::HtmlElement = buttons.item(i).unwrap().unchecked_into();
            let t = b.text_content().unwrap_or_default();
            (b, t)
        })
        .collect();
    let names: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
    // 15% of ¥333 is 49.95: ¥50 with no decimal places.
    assert_eq!(
        names,
        vec![
            "Tip 15% +¥50 Total ¥383",
            "Tip 20% +¥67 Total ¥400",
            "Custom tip",
            "No tip",
            "Back"
        ]
    );
    texts[0].0.click();
    texts[3].0.click();
    leptos::task::tick().await;
    assert_eq!(
        chosen.get_untracked(),
        vec![Some(Amount::parse("50").unwrap()), None]
    );
}
