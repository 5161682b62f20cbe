//! Printing straight to a thermal printer, without the print dialog (issue
//! 28): in the office part (`pages::office::Office::printer`, reached through
//! `pages::parts::printer`), fetched when Settings opens or the first time
//! something is printed, never by the till's first load nor on the sale path.
//!
//! A receipt is the on-screen one (`components::receipt::ReceiptPaper`),
//! laid out off screen by the browser and copied (markup and the page's CSS)
//! into an SVG image drawn as wide as the printer's line in dots, so
//! Chinese, the shop's name and the QR print as they look; any other element
//! laid out on screen prints the same way (`Job::Element`: the day's report).
//! The kitchen ticket and the test page, which have no screen, are drawn on
//! a canvas in the receipt's font. The image is made 1-bit, turned into
//! ESC/POS raster commands by
//! `domain::escpos`, and sent over the link in chunks it accepts:
//! - Web Serial (`navigator.serial`): USB printers on a computer, and
//!   Bluetooth-classic (SPP) printers paired in Android's settings on Chrome
//!   for Android 138 and later;
//! - Web Bluetooth (`navigator.bluetooth`) where Web Serial is missing: BLE
//!   printers with one of the common write characteristics.
//!
//! The APIs are reached by name (`js_sys::Reflect`): web-sys' bindings for
//! them need `web_sys_unstable_apis`, which both toolchain paths would have
//! to build with.
//!
//! A job never holds up a sale: it runs on its own, and a printer that is
//! off, out of paper or gone gives a notice with "Try again" over whatever
//! is on screen; the link is dropped and found again at the next print.

use std::cell::RefCell;

use futures::future::{LocalBoxFuture, Shared};
use futures::FutureExt;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::components::erased::shown;
use crate::components::print_sheet::AdoptedSheet;
use crate::domain::escpos::{self, Raster};
use crate::domain::receipt::{KitchenTicket, PaperWidth, Receipt, ReceiptLine};
use crate::i18n::{self, Lang, Msg};
use crate::state::app_state::AppState;
use crate::state::local_storage;

/// What can be printed.
#[derive(Clone, Debug)]
pub enum Job {
    /// A paid sale's receipt; `reprinted`: the local time of a reprint from
    /// History (the receipt says "Copy").
    Receipt { receipt: Receipt, reprinted: Option<String> },
    Kitchen(KitchenTicket),
    /// Settings' "Print a test page".
    Test,
    /// Any element laid out on screen (the day's report): printed as it
    /// looks, its content box (inside its padding) across the paper's dots.
    /// Copied when the job is handed over, so "Try again" prints it even
    /// after it has left the screen.
    Element(web_sys::Element),
    /// An element so copied (what `Element` becomes in the queue).
    Snapshot(Snapshot),
}

/// A laid-out element copied for printing: its markup and the page's CSS,
/// as the body of an SVG `foreignObject`, and its box in CSS pixels.
#[derive(Clone, Debug)]
pub struct Snapshot {
    body: String,
    /// The content box: from `left` (the padding), `width` wide.
    left: f64,
    width: f64,
    /// The whole box.
    outer_width: f64,
    height: f64,
}

/// How the printer is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connected {
    Serial,
    Bluetooth(String),
}

/// What a connection attempt came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectProblem {
    /// Neither Web Serial nor Web Bluetooth in this browser.
    NoApi,
    /// The browser's picker was closed without a printer, or the port or
    /// device would not open.
    NotChosen,
}

/// What the rest of the app may ask of the printer part.
#[derive(Clone, Copy)]
pub struct Printer {
    /// The browser's own picker (call from a tap): the printer chosen, kept
    /// for the next jobs and remembered on this device.
    pub connect: fn() -> LocalBoxFuture<'static, Result<Connected, ConnectProblem>>,
    /// The printer this device was given before, reconnected without a
    /// picker where the browser allows it (`None`: none, or not now).
    pub find: fn() -> LocalBoxFuture<'static, Option<Connected>>,
    /// Prints, after the jobs before it; says how it went in the printer's
    /// notice ("Try again" on a failure). Returns at once.
    pub print: fn(AppState, Job),
}

/// Whether this browser can reach a printer by itself.
pub fn available() -> bool {
    api("serial").is_some() || api("bluetooth").is_some()
}

/// localStorage: how a printer was connected on this device ("serial" or
/// "bluetooth"), so a receipt's Print goes to it rather than the dialog.
const STORE_KEY: &str = "mixpay-pos/printer";

/// Whether a printer was connected on this device (and the browser still
/// has the API): the receipt's Print and "by themselves" print to it.
pub fn set_up() -> bool {
    available() && local_storage::get(STORE_KEY).ok().flatten().is_some()
}

// ---- The part's side: only `make` (called at the split point) names these.

pub(crate) fn make() -> Printer {
    Printer {
        connect: || connect().boxed_local(),
        find: || find().boxed_local(),
        print,
    }
}

/// `navigator.serial` or `navigator.bluetooth`, where the browser has it.
fn api(name: &str) -> Option<JsValue> {
    get(window().navigator().as_ref(), name)
}

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `target.method(...args)` and waits for its promise (or value).
async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let value = js(target, method, args)?;
    JsFuture::from(Promise::resolve(&value)).await
}

/// `target.method(...args)`, its value as it is (no promise awaited).
fn js(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).ok_or_else(|| JsValue::from_str(method))?.dyn_into()?;
    f.apply(target, &args.iter().collect::<Array>())
}

fn set(target: &JsValue, key: &str, value: JsValue) {
    let _ = Reflect::set(target, &key.into(), &value);
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// Serial speed: USB printers ignore it, SPP links too; 9600 is the default
/// of the serial ones.
const BAUD_RATE: u32 = 9600;
/// Bytes a serial write takes at once.
const SERIAL_CHUNK: usize = 4096;
/// Bytes a BLE write takes: 20 fits the smallest link (MTU 23) without a
/// response; a write with a response may be longer (Chrome splits it).
const BLE_CHUNK_NO_RESPONSE: usize = 20;
const BLE_CHUNK: usize = 180;
/// A write not done in this time is a printer that stopped taking bytes.
const WRITE_TIMEOUT_MS: u32 = 10_000;

/// The write services of common BLE receipt printers.
const BLE_SERVICES: [&str; 5] = [
    "000018f0-0000-1000-8000-00805f9b34fb",
    "e7810a71-73ae-499d-8c15-faa9aef0c3f2",
    "49535343-fe7d-4ae5-8fa9-9fafd205e455",
    "0000ff00-0000-1000-8000-00805f9b34fb",
    "0000ae30-0000-1000-8000-00805f9b34fb",
];

/// The link in use.
#[derive(Clone)]
enum Link {
    /// An open `SerialPort`.
    Serial(JsValue),
    /// A BLE characteristic to write to, whether it takes writes without a
    /// response, and the device's name.
    Ble { characteristic: JsValue, no_response: bool, name: String },
}

impl Link {
    fn connected(&self) -> Connected {
        match self {
            Link::Serial(_) => Connected::Serial,
            Link::Ble { name, .. } => Connected::Bluetooth(name.clone()),
        }
    }
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
    /// The job running now: the next one waits for it (one writer a port).
    static LAST_JOB: RefCell<Option<Shared<LocalBoxFuture<'static, ()>>>> = const { RefCell::new(None) };
    static NOTICE: RefCell<Option<RwSignal<Option<Notice>>>> = const { RefCell::new(None) };
    /// How many jobs have said "Printed.": a job's timer hides the notice
    /// only if no job said it since.
    static PRINTED_COUNT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn keep(link: Link) -> Connected {
    let connected = link.connected();
    let kind = if matches!(link, Link::Serial(_)) { "serial" } else { "bluetooth" };
    let _ = local_storage::set(STORE_KEY, kind);
    LINK.with(|l| *l.borrow_mut() = Some(link));
    connected
}

/// Drops the link after a failed write: the next job finds it again.
fn drop_link() {
    if let Some(Link::Serial(port)) = LINK.with(|l| l.borrow_mut().take()) {
        leptos::task::spawn_local(async move {
            let _ = call(&port, "close", &[]).await;
        });
    }
}

async fn open_serial(port: JsValue) -> Result<Link, JsValue> {
    // A port already open (by this page) has its writable stream.
    if get(&port, "writable").is_none() {
        call(&port, "open", &[object(&[("baudRate", BAUD_RATE.into())])]).await?;
    }
    Ok(Link::Serial(port))
}

async fn open_ble(device: JsValue) -> Result<Link, JsValue> {
    let name = get(&device, "name").and_then(|n| n.as_string()).unwrap_or_default();
    let gatt = get(&device, "gatt").ok_or_else(|| JsValue::from_str("gatt"))?;
    let server = call(&gatt, "connect", &[]).await?;
    let services = Array::from(&call(&server, "getPrimaryServices", &[]).await?);
    for service in services.iter() {
        let Ok(characteristics) = call(&service, "getCharacteristics", &[]).await else {
            continue;
        };
        for c in Array::from(&characteristics).iter() {
            let props = get(&c, "properties").unwrap_or(JsValue::NULL);
            let flag = |k: &str| get(&props, k).and_then(|v| v.as_bool()).unwrap_or(false);
            if flag("writeWithoutResponse") || flag("write") {
                return Ok(Link::Ble { no_response: !flag("write"), characteristic: c, name });
            }
        }
    }
    Err(JsValue::from_str("no write characteristic"))
}

/// The browser's picker: Web Serial first, Web Bluetooth where it is missing.
async fn connect() -> Result<Connected, ConnectProblem> {
    if let Some(serial) = api("serial") {
        let port = call(&serial, "requestPort", &[Object::new().into()]).await.map_err(|_| ConnectProblem::NotChosen)?;
        drop_link();
        let link = open_serial(port).await.map_err(|_| ConnectProblem::NotChosen)?;
        return Ok(keep(link));
    }
    let bluetooth = api("bluetooth").ok_or(ConnectProblem::NoApi)?;
    let services: Array = BLE_SERVICES.iter().map(|s| JsValue::from_str(s)).collect();
    let options = object(&[("acceptAllDevices", true.into()), ("optionalServices", services.into())]);
    let device = call(&bluetooth, "requestDevice", &[options]).await.map_err(|_| ConnectProblem::NotChosen)?;
    let link = open_ble(device).await.map_err(|_| ConnectProblem::NotChosen)?;
    Ok(keep(link))
}

/// The link kept, or the printer this device was given before: Web Serial
/// lists the ports it may open again without asking (`getPorts`), Web
/// Bluetooth its devices where the browser has `getDevices`.
async fn link() -> Option<Link> {
    if let Some(link) = LINK.with(|l| l.borrow().clone()) {
        return Some(link);
    }
    local_storage::get(STORE_KEY).ok().flatten()?;
    let found = if let Some(serial) = api("serial") {
        let ports = Array::from(&call(&serial, "getPorts", &[]).await.ok()?);
        if ports.length() == 0 {
            return None;
        }
        open_serial(ports.get(0)).await.ok()
    } else {
        let bluetooth = api("bluetooth")?;
        let devices = Array::from(&call(&bluetooth, "getDevices", &[]).await.ok()?);
        if devices.length() == 0 {
            return None;
        }
        open_ble(devices.get(0)).await.ok()
    }?;
    keep(found.clone());
    Some(found)
}

async fn find() -> Option<Connected> {
    link().await.map(|l| l.connected())
}

/// One write on the link, failed when the printer takes longer than
/// [`WRITE_TIMEOUT_MS`].
async fn timed(write: impl std::future::Future<Output = Result<JsValue, JsValue>>) -> Result<(), JsValue> {
    let timeout = gloo_timers::future::TimeoutFuture::new(WRITE_TIMEOUT_MS);
    match futures::future::select(Box::pin(write), Box::pin(timeout)).await {
        futures::future::Either::Left((done, _)) => done.map(|_| ()),
        futures::future::Either::Right(_) => Err(JsValue::from_str("timeout")),
    }
}

/// Sends the job's bytes in the chunks the link takes.
async fn send(link: &Link, bytes: &[u8]) -> Result<(), JsValue> {
    match link {
        Link::Serial(port) => {
            let writable = get(port, "writable").ok_or_else(|| JsValue::from_str("closed"))?;
            let writer = call(&writable, "getWriter", &[]).await?;
            let mut sent = Ok(());
            for chunk in escpos::chunks(bytes, SERIAL_CHUNK) {
                sent = timed(call(&writer, "write", &[Uint8Array::from(chunk).into()])).await;
                if sent.is_err() {
                    break;
                }
            }
            if let Some(release) = get(&writer, "releaseLock").and_then(|f| f.dyn_into::<Function>().ok()) {
                let _ = release.call0(&writer);
            }
            sent
        }
        Link::Ble { characteristic, no_response, .. } => {
            let (method, size) = if *no_response {
                ("writeValueWithoutResponse", BLE_CHUNK_NO_RESPONSE)
            } else {
                ("writeValue", BLE_CHUNK)
            };
            for chunk in escpos::chunks(bytes, size) {
                timed(call(characteristic, method, &[Uint8Array::from(chunk).into()])).await?;
            }
            Ok(())
        }
    }
}

// ---- Drawing

/// The receipt's font on screen (style/: `.receipt`).
const FONT: &str = "ui-monospace, \"DejaVu Sans Mono\", Menlo, Consolas, monospace";

/// The base font in dots: the screen's receipt (11 px on a 58 mm page with
/// 3 mm margins, 13 px on 80 mm with 4 mm) scaled to the printer's line, so
/// lines break where they break on screen.
fn em_dots(paper: PaperWidth) -> f64 {
    let (font_px, content_mm) = match paper {
        PaperWidth::Mm58 => (11.0, 52.0),
        PaperWidth::Mm80 => (13.0, 72.0),
    };
    let content_px = content_mm * 96.0 / 25.4;
    (font_px * paper.dots() as f64 / content_px).round()
}

/// Lays the job out down the canvas; a first pass (`draw` false) measures
/// the height, the second draws. The canvas' 2D context is reached by name
/// too: web-sys' bindings would add a dozen imports to the till's first
/// load (the wasm-bindgen glue holds every part's imports).
struct Pen {
    ctx: JsValue,
    width: f64,
    em: f64,
    y: f64,
    draw: bool,
}

impl Pen {
    fn font(&self, scale: f64, bold: bool) -> f64 {
        let size = (self.em * scale).round();
        // Whole pixels, written as an integer (no float formatting code).
        let px = size as u32;
        set(&self.ctx, "font", format!("{} {px}px {FONT}", if bold { 700 } else { 400 }).into());
        size
    }

    fn measure(&self, text: &str) -> f64 {
        js(&self.ctx, "measureText", &[text.into()])
            .ok()
            .and_then(|m| get(&m, "width"))
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0)
    }

    fn text(&self, text: &str, x: f64, y: f64) {
        let _ = js(&self.ctx, "fillText", &[text.into(), x.into(), y.into()]);
    }

    fn fill(&self, x: f64, y: f64, w: f64, h: f64) {
        fill_rect(&self.ctx, x, y, w, h);
    }

    /// `text` in lines no wider than `max` (at spaces where it can, between
    /// any two characters where it must: Chinese has no spaces).
    fn wrap(&self, text: &str, max: f64) -> Vec<String> {
        let mut lines = vec![];
        let mut line = String::new();
        for ch in text.chars() {
            let mut longer = line.clone();
            longer.push(ch);
            if line.is_empty() || self.measure(&longer) <= max {
                line = longer;
                continue;
            }
            match line.rfind(' ').filter(|&i| i > 0 && ch != ' ') {
                Some(i) => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    lines.push(std::mem::replace(&mut line, rest));
                    line.push(ch);
                }
                None => {
                    lines.push(std::mem::take(&mut line));
                    if ch != ' ' {
                        line.push(ch);
                    }
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// A line's height and where its text starts (the CSS line box: 1.35).
    fn line(&self, size: f64) -> (f64, f64) {
        let height = (size * 1.35).round();
        (height, ((height - size) / 2.0).round())
    }

    fn centered(&mut self, text: &str, scale: f64, bold: bool) {
        let size = self.font(scale, bold);
        let (height, top) = self.line(size);
        for line in self.wrap(text, self.width) {
            if self.draw {
                let x = ((self.width - self.measure(&line)) / 2.0).round().max(0.0);
                self.text(&line, x, self.y + top);
            }
            self.y += height;
        }
        self.y += (size * 0.4).round();
    }

    /// A label on the left and its value on the right, the value's further
    /// lines under it, right-aligned (the receipt's `dt`/`dd`).
    fn row(&mut self, label: &str, value: &str, scale: f64, bold: bool) {
        let size = self.font(scale, bold);
        let (height, top) = self.line(size);
        let label_width = self.measure(label);
        let room = (self.width - label_width - size * 0.5).max(self.width / 3.0);
        if self.draw {
            self.text(label, 0.0, self.y + top);
        }
        for line in self.wrap(value, room) {
            if self.draw {
                let x = (self.width - self.measure(&line)).round().max(0.0);
                self.text(&line, x, self.y + top);
            }
            self.y += height;
        }
    }

    /// The receipt's dashed border between header and lines.
    fn rule(&mut self) {
        self.y += (self.em * 0.4).round();
        if self.draw {
            let dash = (self.em * 0.4).round();
            let mut x = 0.0;
            while x < self.width {
                self.fill(x, self.y, dash.min(self.width - x), 2.0);
                x += dash * 2.0;
            }
        }
        self.y += 2.0 + (self.em * 0.4).round();
    }

    /// The QR of `text` from the app's QR matrix, `mm` wide with its quiet
    /// zone, centered, each module a whole number of dots.
    fn qr(&mut self, text: &str, dots: f64) {
        let Ok((modules, dark)) = crate::domain::qr::qr_modules(text) else {
            return;
        };
        let unit = (dots / (modules + 8) as f64).floor().max(1.0);
        let side = unit * (modules + 8) as f64;
        let left = ((self.width - side) / 2.0).floor() + unit * 4.0;
        let top = self.y + unit * 4.0;
        if self.draw {
            for (i, on) in dark.iter().enumerate() {
                if *on {
                    let (x, y) = ((i % modules) as f64, (i / modules) as f64);
                    self.fill(left + x * unit, top + y * unit, unit, unit);
                }
            }
        }
        self.y += side + (self.em * 0.4).round();
    }

    fn gap(&mut self, ems: f64) {
        self.y += (self.em * ems).round();
    }
}

/// The job laid out with `pen` (measured or drawn).
fn lay_out(pen: &mut Pen, job: &Job, lang: Lang, shop: &str, paper: PaperWidth) {
    // 8 dots a millimetre at 203 dpi.
    let mm = paper.dots() as f64 / if paper == PaperWidth::Mm58 { 48.0 } else { 72.0 };
    match job {
        Job::Kitchen(ticket) => {
            pen.centered(i18n::kitchen(lang), 1.0, true);
            pen.centered(&ticket.order_id, 2.2, true);
            pen.centered(&crate::domain::lang::format_time(lang, ticket.when), 1.0, false);
            pen.rule();
            for (quantity, name) in &ticket.lines {
                pen.row(&format!("{quantity}×"), name, 1.4, true);
            }
            if !ticket.note.is_empty() {
                if !ticket.lines.is_empty() {
                    pen.gap(0.4);
                }
                pen.row(i18n::receipt_label(lang, ReceiptLine::Note), &ticket.note, 1.2, false);
            }
            pen.rule();
        }
        Job::Test => {
            if !shop.is_empty() {
                pen.centered(shop, 1.3, true);
            }
            pen.centered(i18n::test_page(lang), 1.6, true);
            pen.centered(i18n::test_page_works(lang), 1.0, false);
            pen.rule();
            pen.row(Msg::ReceiptPaper.text(lang), &i18n::paper_label(lang, paper), 1.0, false);
            pen.row("English", "中文 ¥ $ €", 1.0, false);
            pen.rule();
            pen.qr("https://mixpay.me", 26.0 * mm);
        }
        // Laid out by the browser: `snapshot` and `rasterize`.
        Job::Receipt { .. } | Job::Element(_) | Job::Snapshot(_) => {}
    }
}

fn fill_rect(ctx: &JsValue, x: f64, y: f64, w: f64, h: f64) {
    let _ = js(ctx, "fillRect", &[x.into(), y.into(), w.into(), h.into()]);
}

/// The job drawn at the printer's width and made 1-bit.
fn render(job: &Job, lang: Lang, shop: &str, paper: PaperWidth) -> Option<Raster> {
    let canvas: JsValue = document().create_element("canvas").ok()?.into();
    let width = paper.dots();
    set(&canvas, "width", width.into());
    set(&canvas, "height", 1.into());
    let context = |canvas: &JsValue| -> Option<JsValue> {
        let ctx = js(canvas, "getContext", &["2d".into()]).ok().filter(|c| !c.is_null() && !c.is_undefined())?;
        set(&ctx, "textBaseline", "top".into());
        Some(ctx)
    };
    let mut pen = Pen { ctx: context(&canvas)?, width: width as f64, em: em_dots(paper), y: 0.0, draw: false };
    lay_out(&mut pen, job, lang, shop, paper);
    let height = pen.y.ceil().max(1.0) as u32;
    // A new size clears the canvas and its context's state.
    set(&canvas, "height", height.into());
    let ctx = context(&canvas)?;
    set(&ctx, "fillStyle", "#fff".into());
    fill_rect(&ctx, 0.0, 0.0, width as f64, height as f64);
    set(&ctx, "fillStyle", "#000".into());
    let mut pen = Pen { ctx: ctx.clone(), width: width as f64, em: em_dots(paper), y: 0.0, draw: true };
    lay_out(&mut pen, job, lang, shop, paper);
    let image = js(&ctx, "getImageData", &[0.into(), 0.into(), width.into(), height.into()]).ok()?;
    let pixels = Uint8Array::new(&get(&image, "data")?).to_vec();
    Raster::from_rgba(width, height, &pixels, 128)
}

// ---- Elements laid out by the browser, printed as they look

/// The text of every style sheet of the page (its own and those adopted),
/// for the copy: the element keeps its classes, so the same rules lay it
/// out again inside the SVG image.
fn page_css() -> String {
    let mut css = String::new();
    let mut add = |sheet: JsValue| {
        let rules = get(&sheet, "cssRules").map(|r| Array::from(&r)).unwrap_or_default();
        for rule in rules.iter() {
            if let Some(text) = get(&rule, "cssText").and_then(|t| t.as_string()) {
                css.push_str(&text);
                css.push('\n');
            }
        }
    };
    let doc: JsValue = document().into();
    for list in ["styleSheets", "adoptedStyleSheets"] {
        if let Some(sheets) = get(&doc, list) {
            for sheet in Array::from(&sheets).iter() {
                add(sheet);
            }
        }
    }
    css
}

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A computed style's length in CSS pixels ("11.3386px"), read by the
/// browser's `parseFloat` (Rust's float parsing and printing would add tens
/// of KB to the part).
fn px(style: &JsValue, property: &str) -> f64 {
    js(style, "getPropertyValue", &[property.into()])
        .ok()
        .and_then(|v| v.as_string())
        .and_then(|v| js(&window().into(), "parseFloat", &[v.into()]).ok())
        .and_then(|v| v.as_f64())
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

/// A number as the browser writes it.
fn num(x: f64) -> String {
    js(&window().into(), "String", &[x.into()]).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// `element` as it is laid out now: its markup (`XMLSerializer`), the
/// page's CSS and the font and colour it inherits, and its box.
pub fn snapshot(element: &web_sys::Element) -> Option<Snapshot> {
    let win: JsValue = window().into();
    let target: &JsValue = element.as_ref();
    let rect = js(target, "getBoundingClientRect", &[]).ok()?;
    let (outer_width, height) = (get(&rect, "width")?.as_f64()?, get(&rect, "height")?.as_f64()?);
    let style = js(&win, "getComputedStyle", std::slice::from_ref(target)).ok()?;
    let (left, right) = (px(&style, "padding-left"), px(&style, "padding-right"));
    let width = outer_width - left - right;
    if width < 1.0 || height < 1.0 {
        return None;
    }
    let parent = get(target, "parentElement").unwrap_or_else(|| target.clone());
    let inherited = js(&win, "getComputedStyle", &[parent]).ok()?;
    let mut wrap = String::new();
    for property in ["color", "font-family", "font-size", "line-height"] {
        let value = js(&inherited, "getPropertyValue", &[property.into()]).ok()?.as_string()?;
        wrap.push_str(&format!("{property}:{value};"));
    }
    let serializer: Function = get(&win, "XMLSerializer")?.dyn_into().ok()?;
    let serializer = Reflect::construct(&serializer, &Array::new()).ok()?;
    let markup = js(&serializer, "serializeToString", std::slice::from_ref(target)).ok()?.as_string()?;
    let body = format!(
        r#"<div xmlns="http://www.w3.org/1999/xhtml" style="{}width:{}px"><style>{}</style>{markup}</div>"#,
        xml_text(&wrap),
        num(outer_width),
        xml_text(&page_css()),
    );
    Some(Snapshot { body, left, width, outer_width, height })
}

/// The copy drawn by the browser as an SVG image as wide as the printer's
/// line (its content box across `dots`, so nothing is scaled after the
/// browser lays out text), on white, made 1-bit.
async fn rasterize(s: &Snapshot, dots: u32) -> Option<Raster> {
    let height = (s.height * dots as f64 / s.width).ceil().max(1.0) as u32;
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{dots}" height="{height}" viewBox="{} 0 {} {}" preserveAspectRatio="none"><foreignObject x="0" y="0" width="{}" height="{}">{}</foreignObject></svg>"#,
        num(s.left), num(s.width), num(s.height), num(s.outer_width), num(s.height), s.body,
    );
    let encoded = js(&window().into(), "encodeURIComponent", &[svg.into()]).ok()?.as_string()?;
    let url = format!("data:image/svg+xml;charset=utf-8,{encoded}");
    let image: JsValue = document().create_element("img").ok()?.into();
    set(&image, "src", url.into());
    JsFuture::from(js(&image, "decode", &[]).ok()?.dyn_into::<Promise>().ok()?).await.ok()?;
    let canvas: JsValue = document().create_element("canvas").ok()?.into();
    set(&canvas, "width", dots.into());
    set(&canvas, "height", height.into());
    let ctx = js(&canvas, "getContext", &["2d".into()]).ok().filter(|c| !c.is_null())?;
    set(&ctx, "fillStyle", "#fff".into());
    fill_rect(&ctx, 0.0, 0.0, dots as f64, height as f64);
    js(&ctx, "drawImage", &[image, 0.into(), 0.into(), dots.into(), height.into()]).ok()?;
    let data = js(&ctx, "getImageData", &[0.into(), 0.into(), dots.into(), height.into()]).ok()?;
    let pixels = Uint8Array::new(&get(&data, "data")?).to_vec();
    Raster::from_rgba(dots, height, &pixels, 128)
}

/// The receipt laid out by its own component (`ReceiptPaper`, the one on
/// screen) off screen, copied, and taken away again.
async fn receipt_snapshot(receipt: &Receipt, reprinted: &Option<String>, paper: PaperWidth, lang: leptos::prelude::ReadSignal<Lang>) -> Option<Snapshot> {
    use crate::components::receipt::ReceiptPaper;
    // Reached by name, as the rest: each binding of web-sys is an import in
    // the glue that the first load fetches.
    let stage: web_sys::HtmlElement = document().create_element("div").ok()?.unchecked_into();
    set(stage.as_ref(), "className", "print-stage".into());
    set(stage.as_ref(), "ariaHidden", "true".into());
    js(&document().body()?.into(), "append", &[stage.clone().into()]).ok()?;
    let (receipt, reprinted) = (receipt.clone(), reprinted.clone());
    let handle = leptos::mount::mount_to(stage.clone(), move || view! { <ReceiptPaper receipt=receipt paper=paper lang=lang reprinted=reprinted /> });
    // Its images (the QR) decoded first: until then they have no height.
    if let Ok(images) = js(stage.as_ref(), "querySelectorAll", &["img".into()]) {
        for image in Array::from(&images).iter() {
            if let Ok(decoded) = js(&image, "decode", &[]) {
                let _ = JsFuture::from(Promise::resolve(&decoded)).await;
            }
        }
    }
    let copy = get(stage.as_ref(), "firstElementChild").and_then(|article| snapshot(article.unchecked_ref()));
    drop(handle);
    let _ = js(stage.as_ref(), "remove", &[]);
    copy
}

// ---- Jobs and the notice

/// What the printer's notice says.
#[derive(Clone, Debug)]
enum Notice {
    Printing,
    Printed,
    /// Jobs that did not print, for "Try again"; `needs_printer`: none is
    /// connected (Try again opens the picker).
    Failed { jobs: Vec<Job>, needs_printer: bool },
}

enum Failure {
    NoPrinter,
    Failed,
}

fn print(state: AppState, job: Job) {
    let notice = notice_signal(state);
    // An element is copied now, while it is on screen.
    let job = match job {
        Job::Element(element) => snapshot(&element).map(Job::Snapshot).unwrap_or(Job::Element(element)),
        other => other,
    };
    let before = LAST_JOB.with(|l| l.borrow_mut().take());
    let task = async move {
        if let Some(before) = before {
            before.await;
        }
        if !matches!(notice.get_untracked(), Some(Notice::Failed { .. })) {
            notice.set(Some(Notice::Printing));
        }
        let outcome = run(state, &job).await;
        notice.update(|n| {
            *n = match (outcome, n.take()) {
                (Ok(()), Some(failed @ Notice::Failed { .. })) => Some(failed),
                (Ok(()), _) => Some(Notice::Printed),
                (Err(why), Some(Notice::Failed { mut jobs, needs_printer })) => {
                    jobs.push(job);
                    Some(Notice::Failed { jobs, needs_printer: needs_printer || matches!(why, Failure::NoPrinter) })
                }
                (Err(why), _) => Some(Notice::Failed { jobs: vec![job], needs_printer: matches!(why, Failure::NoPrinter) }),
            }
        });
        if matches!(notice.get_untracked(), Some(Notice::Printed)) {
            // "Printed." goes by itself, on a timer of its own: the next job
            // (the kitchen ticket after the receipt) does not wait for it.
            let count = PRINTED_COUNT.with(|c| {
                c.set(c.get() + 1);
                c.get()
            });
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(4_000).await;
                if PRINTED_COUNT.with(|c| c.get()) == count {
                    notice.update(|n| {
                        if matches!(n, Some(Notice::Printed)) {
                            *n = None;
                        }
                    });
                }
            });
        }
    }
    .boxed_local()
    .shared();
    LAST_JOB.with(|l| *l.borrow_mut() = Some(task.clone()));
    leptos::task::spawn_local(task);
}

async fn run(state: AppState, job: &Job) -> Result<(), Failure> {
    let (shop, paper) = state.settings().with_untracked(|s| (s.shop_name.clone(), s.paper));
    let lang = state.lang().get_untracked();
    let link = link().await.ok_or(Failure::NoPrinter)?;
    let raster = match job {
        Job::Receipt { receipt, reprinted } => match receipt_snapshot(receipt, reprinted, paper, state.lang()).await {
            Some(copy) => rasterize(&copy, paper.dots()).await,
            None => None,
        },
        Job::Element(element) => match snapshot(element) {
            Some(copy) => rasterize(&copy, paper.dots()).await,
            None => None,
        },
        Job::Snapshot(copy) => rasterize(copy, paper.dots()).await,
        _ => render(job, lang, &shop, paper),
    };
    let raster = raster.ok_or(Failure::Failed)?;
    send(&link, &escpos::job(&raster)).await.map_err(|_| {
        drop_link();
        Failure::Failed
    })
}

/// "Try again": the failed jobs once more, after the picker when no printer
/// was connected (the tap lets the browser open it).
fn retry(state: AppState, notice: RwSignal<Option<Notice>>) {
    let Some(Notice::Failed { jobs, needs_printer }) = notice.get_untracked() else {
        return;
    };
    notice.set(None);
    leptos::task::spawn_local(async move {
        if needs_printer && connect().await.is_err() {
            notice.set(Some(Notice::Failed { jobs, needs_printer }));
            return;
        }
        for job in jobs {
            print(state, job);
        }
    });
}

/// The notice's place on screen (its own sheet: no CSS in the first load):
/// at the top, under the bar, clear of the sale screen's actions; "Printing…"
/// and "Printed." let taps through.
const NOTICE_CSS: &str = "\
.print-notice { position: fixed; left: 50%; top: 4.5rem; transform: translateX(-50%); z-index: 40; width: min(34rem, calc(100% - 2rem)); display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; padding: 0.8rem 1rem; border-radius: 12px; background: var(--card); color: var(--fg); box-shadow: 0 4px 20px rgb(0 0 0 / 0.35); }
.print-notice p { margin: 0; flex: 1 1 14rem; }
.print-notice.failed { border: 2px solid var(--bad, #b3261e); }
.print-notice:not(.failed) { pointer-events: none; }
.print-stage { position: fixed; left: -10000px; top: 0; pointer-events: none; }";

/// The printer's notice, mounted over every screen the first time a job
/// runs: the signal that drives it.
fn notice_signal(state: AppState) -> RwSignal<Option<Notice>> {
    if let Some(signal) = NOTICE.with(|n| *n.borrow()) {
        return signal;
    }
    let notice = RwSignal::new(None::<Notice>);
    NOTICE.with(|n| *n.borrow_mut() = Some(notice));
    std::mem::forget(AdoptedSheet::adopt(NOTICE_CSS));
    let lang = state.lang();
    let body = document().body().expect("the page has a body");
    let handle = leptos::mount::mount_to(body, move || {
        shown(
            move || notice.with(Option::is_some),
            move || {
                view! {
                    {move || {
                        let lang = lang.get();
                        match notice.get() {
                            Some(Notice::Failed { needs_printer, .. }) => view! {
                                <div class="print-notice failed" role="alert" aria-label=i18n::printer(lang)>
                                    <p>{if needs_printer { i18n::print_needs_printer(lang) } else { i18n::print_failed(lang) }}</p>
                                    <button type="button" class="primary" on:click=move |_| retry(state, notice)>{Msg::TryAgain.text(lang)}</button>
                                    <button type="button" on:click=move |_| notice.set(None)>{Msg::Close.text(lang)}</button>
                                </div>
                            }.into_any(),
                            // Not a role=status: the sale screen's status line is the one.
                            other => view! {
                                <section class="print-notice" aria-live="polite" aria-label=i18n::printer(lang)>
                                    <p>{if matches!(other, Some(Notice::Printed)) { i18n::printed(lang) } else { i18n::printing(lang) }}</p>
                                </section>
                            }.into_any(),
                        }
                    }}
                }
                .into_any()
            },
        )
    });
    std::mem::forget(handle);
    notice
}
