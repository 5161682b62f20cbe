//! Contract tests: the simulator over real HTTP, endpoint by endpoint, as
//! `shared/mixpay-api.md` describes MixPay.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

const PAYEE: &str = "3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b";
const OTHER_PAYEE: &str = "b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e";
const USDT: &str = "4d8c508b-91c5-375b-92b0-ee702ed2dac5";
const BTC: &str = "c6d0c728-2624-429b-8e0d-d9d19b6592fa";

struct Sim {
    base: String,
    http: Client,
}

async fn start(rate_limit: bool) -> Sim {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mixpay_sim::serve(listener, rate_limit));
    Sim {
        base,
        http: Client::new(),
    }
}

fn trace() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

impl Sim {
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap())
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap())
    }

    async fn one_time(&self, trace_id: &str, amount: &str) -> String {
        let (status, body) = self
            .post(
                "/v1/one_time_payment",
                json!({
                    "payeeId": PAYEE, "traceId": trace_id, "quoteAssetId": "usd",
                    "quoteAmount": amount, "settlementAssetId": USDT,
                    "expiredTimestamp": now_s() + 900, "remark": "Table 4",
                }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"]["code"].as_str().unwrap().to_string()
    }

    async fn result(&self, trace_id: &str) -> Value {
        let (status, body) = self
            .get(&format!("/v1/payments_result?traceId={trace_id}"))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["success"], true);
        body["data"].clone()
    }

    /// `payments_result` with `with=...`.
    async fn result_with(&self, trace_id: &str, with: &str) -> Value {
        let (status, body) = self
            .get(&format!(
                "/v1/payments_result?traceId={trace_id}&with={with}"
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["success"], true);
        body["data"].clone()
    }

    async fn pay(&self, body: Value) -> (StatusCode, Value) {
        self.post("/_sim/pay", body).await
    }
}

fn assert_envelope_error(body: &Value, code: i64) {
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body["timestampMs"].as_i64().is_some());
}

#[tokio::test]
async fn quote_assets_list_fiat_and_crypto_with_limits() {
    let sim = start(true).await;
    let (status, body) = sim.get("/v1/setting/quote_assets").await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    let items = body["data"].as_array().unwrap();
    let by_id = |id: &str| items.iter().find(|a| a["assetId"] == id).unwrap().clone();
    assert_eq!(by_id("usd")["decimalDigit"], 2);
    assert_eq!(by_id("usd")["isAsset"], 0);
    assert_eq!(by_id("jpy")["decimalDigit"], 0);
    assert_eq!(by_id(BTC)["decimalDigit"], 8);
    assert_eq!(by_id(BTC)["chainAsset"]["symbol"], "BTC");
    assert!(by_id("usd")["minQuoteAmount"].is_string());
    assert!(by_id("eur")["maxQuoteAmount"].is_string());
    for id in [
        "cny",
        USDT,
        "9b180ab6-6abe-3dc0-a13f-04169eb34bfa",
        "43d61dcd-e413-450d-80b8-101d5e903357",
    ] {
        by_id(id);
    }
    let (_, body) = sim
        .get("/v1/setting/quote_assets?payeeId=00000000-0000-4000-8000-000000000000")
        .await;
    assert_envelope_error(&body, 10001);
}

#[tokio::test]
async fn settlement_and_payment_assets_answer_for_a_quote() {
    let sim = start(true).await;
    let (_, body) = sim.get("/v1/setting/settlement_assets").await;
    let items = body["data"].as_array().unwrap();
    assert!(items.iter().all(|a| a.get("isAvailable").is_none()));
    assert!(
        items.iter().all(|a| a["isAsset"] == 1),
        "fiat is never settled"
    );
    let (_, body) = sim
        .get("/v1/setting/settlement_assets?quoteAssetId=usd&quoteAmount=0.5")
        .await;
    let items = body["data"].as_array().unwrap();
    let btc = items.iter().find(|a| a["assetId"] == BTC).unwrap();
    let usdt = items.iter().find(|a| a["assetId"] == USDT).unwrap();
    assert_eq!(btc["isAvailable"], false);
    assert_eq!(usdt["isAvailable"], true);

    let (_, body) = sim
        .get("/v1/setting/payment_assets?quoteAssetId=usd&quoteAmount=90")
        .await;
    let btc = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["assetId"] == BTC)
        .unwrap()
        .clone();
    assert_eq!(btc["paymentAmount"], "0.001");
    assert!(btc["minPaymentAmount"].is_string());
    assert_eq!(btc["onChainSupported"], true);

    let (_, body) = sim
        .get("/v1/setting/payment_assets?quoteAssetId=xyz&quoteAmount=1")
        .await;
    assert_envelope_error(&body, 10003);
}

#[tokio::test]
async fn payments_estimated_converts_exactly() {
    let sim = start(true).await;
    let (_, body) = sim
        .get(&format!(
            "/v1/payments_estimated?paymentAssetId={BTC}&settlementAssetId={USDT}&quoteAssetId=usd&quoteAmount=45"
        ))
        .await;
    // "`price`, `paymentAmount`, `estimatedSettlementAmount`, `paymentAssetSymbol`,
    // `settlementAssetSymbol`, `quoteAssetSymbol` and the three asset ids"
    let d = &body["data"];
    assert_eq!(d["price"], "0.00001111");
    assert_eq!(d["paymentAmount"], "0.0005");
    assert_eq!(d["estimatedSettlementAmount"], "45");
    assert_eq!(d["paymentAssetSymbol"], "BTC");
    assert_eq!(d["settlementAssetSymbol"], "USDT");
    assert_eq!(d["quoteAssetSymbol"], "USD");
    assert_eq!(d["paymentAssetId"], BTC);
    assert_eq!(d["settlementAssetId"], USDT);
    assert_eq!(d["quoteAssetId"], "usd");
    let (_, body) = sim.get("/v1/payments_estimated?paymentAssetId=nope").await;
    assert_envelope_error(&body, 10002);
}

#[tokio::test]
async fn one_time_payment_validates_like_mixpay() {
    let sim = start(false).await;
    let base = || {
        json!({"payeeId": PAYEE, "traceId": trace(), "quoteAssetId": "usd",
               "quoteAmount": "10", "settlementAssetId": USDT})
    };
    let with = |k: &str, v: Value| {
        let mut b = base();
        b[k] = v;
        b
    };
    let cases = [
        (with("payeeId", json!("not-a-uuid")), 1017),
        (
            with("payeeId", json!("00000000-0000-4000-8000-000000000000")),
            10001,
        ),
        (with("traceId", json!("123")), 1017),
        (with("quoteAssetId", json!("doge")), 10003),
        (with("quoteAmount", json!("0.001")), 1017),
        (with("quoteAmount", json!("abc")), 1017),
        (with("quoteAmount", json!("0.001")), 1017),
        (with("quoteAmount", json!("999999")), 10005),
        (with("settlementAssetId", json!("usd")), 10002),
        (with("remark", json!("x".repeat(51))), 1017),
        (with("expiredTimestamp", json!(now_s() + 3)), 1017),
        (with("expiredTimestamp", json!(now_s() + 2881 * 60)), 1017),
        (with("expiredTimestamp", json!("soon")), 1017),
        (with("strictMode", json!("yes")), 1017),
    ];
    for (body, code) in cases {
        let (status, answer) = sim.post("/v1/one_time_payment", body.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert_envelope_error(&answer, code);
    }
    // Too low: BTC quoted below its minimum.
    let (_, answer) = sim
        .post(
            "/v1/one_time_payment",
            with("quoteAssetId", json!(BTC))
                .as_object()
                .cloned()
                .map(|mut o| {
                    o.insert("quoteAmount".into(), json!("0.00000001"));
                    Value::Object(o)
                })
                .unwrap(),
        )
        .await;
    assert_envelope_error(&answer, 10004);

    // Numbers and booleans where strings are expected are accepted.
    let (status, answer) = sim
        .post(
            "/v1/one_time_payment",
            with("quoteAmount", json!(12.5))
                .as_object()
                .cloned()
                .map(|mut o| {
                    o.insert("strictMode".into(), json!(true));
                    Value::Object(o)
                })
                .unwrap(),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(uuid::Uuid::parse_str(answer["data"]["code"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn one_time_payment_takes_a_form_body_and_retries_give_the_same_code() {
    let sim = start(false).await;
    let t = trace();
    let form = format!(
        "payeeId={PAYEE}&traceId={t}&quoteAssetId=jpy&quoteAmount=500&settlementAssetId={USDT}&remark=caf%C3%A9+%26+cake"
    );
    let send = || {
        sim.http
            .post(format!("{}/v1/one_time_payment", sim.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let second: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(first["code"], 0, "{first}");
    assert_eq!(first["data"]["code"], second["data"]["code"]);
    let result = sim.result(&t).await;
    assert_eq!(result["remark"], "café & cake");
    assert_eq!(result["quoteSymbol"], "JPY");
    // The same traceId with another amount is refused.
    let (_, answer) = sim
        .post(
            "/v1/one_time_payment",
            json!({"payeeId": PAYEE, "traceId": t, "quoteAssetId": "jpy",
            "quoteAmount": "600", "settlementAssetId": USDT}),
        )
        .await;
    assert_envelope_error(&answer, 10011);
}

// "A traceId that nobody has opened or paid yet may answer `unpaid` or an error
// envelope": `unpaid` unless `/_sim/faults` says otherwise.
#[tokio::test]
async fn unknown_trace_is_not_paid_yet() {
    let sim = start(true).await;
    let data = sim.result(&trace()).await;
    assert_eq!(data["status"], "unpaid");
    let (_, body) = sim.get("/v1/payments_result").await;
    assert_envelope_error(&body, 1017);
}

#[tokio::test]
async fn success_path_counts_confirmations() {
    let sim = start(false).await;
    let t = trace();
    let code = sim.one_time(&t, "10.00").await;
    assert_eq!(sim.result(&t).await["status"], "unpaid");
    let (status, _) = sim
        .pay(json!({"code": code, "outcome": "success", "delayMs": 600}))
        .await;
    assert_eq!(status, 200);
    let pending = sim.result(&t).await;
    assert_eq!(pending["status"], "pending");
    assert!(pending["confirmations"].as_i64().unwrap() >= 0);
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let paid = sim.result(&t).await;
    assert_eq!(paid["status"], "success");
    assert_eq!(paid["quoteAmount"], "10.00");
    assert_eq!(paid["quoteAssetId"], "usd");
    assert_eq!(paid["payeeId"], PAYEE);
    assert_eq!(paid["payee"], "Demo Coffee");
    assert_eq!(paid["paymentAmount"], "10");
    assert_eq!(paid["paymentSymbol"], "USDT");
    assert_eq!(paid["confirmations"], -1);
    assert_eq!(paid["settleStatus"], "success");
    assert!(paid["txid"].as_str().is_some_and(|t| t.len() == 32));
    assert!(paid["date"].as_i64().unwrap() > 1_600_000_000);
    assert_eq!(paid["traceId"], t);
}

#[tokio::test]
async fn failed_path() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "20").await;
    sim.pay(json!({"traceId": t, "outcome": "failed", "failureCode": 40024}))
        .await;
    let failed = sim.result(&t).await;
    assert_eq!(failed["status"], "failed");
    // "`failureCode` (a string, `"0"` when none)"
    assert_eq!(failed["failureCode"], "40024");
    assert!(failed["failureReason"].as_str().unwrap().contains("amount"));
    let t = trace();
    sim.one_time(&t, "20").await;
    assert_eq!(sim.result(&t).await["failureCode"], "0");
}

// "with `with=payment`, `data.payment` is `{"isMultiPay": bool, "isFullyPaid": bool,
// "totalTransactionsAmount": "0.3"}`; a payer who paid part of the amount shows as
// `status: pending` with `isFullyPaid: false`, and `payableAmount`/`payableSymbol` say
// what the payment asks for."
#[tokio::test]
async fn underpaid_is_pending_with_the_payment_object() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    let (status, _) = sim.pay(json!({"traceId": t, "outcome": "underpaid"})).await;
    assert_eq!(status, 200);

    let less = sim.result_with(&t, "payment").await;
    assert_eq!(less["status"], "pending");
    // "on-chain `confirmations` counts up, -1 otherwise"
    assert_eq!(less["confirmations"], -1);
    // "pending AND payment.isMultiPay AND NOT payment.isFullyPaid": paying less
    // is an on-chain payment of several transfers.
    assert_eq!(
        less["payment"],
        json!({"isMultiPay": true, "isFullyPaid": false, "totalTransactionsAmount": "5"})
    );
    assert_eq!(less["payableAmount"], "10", "the full amount asked for");
    assert_eq!(less["payableSymbol"], "USDT");
    assert!(less.get("transactions").is_none());
    for word in ["paid_less", "confirming"] {
        assert!(!less.to_string().contains(word), "{less}");
    }

    // Without `with=payment` there is no `payment` key at all.
    let plain = sim.result(&t).await;
    assert_eq!(plain["status"], "pending");
    assert!(plain.get("payment").is_none(), "{plain}");

    // "`with=transactions` adds `data.transactions[]` (`paymentAmount`,
    // `paymentAssetSymbol`, `confirmations`, `requiredConfirms`, `txid`,
    // `blockExplorerUrl`, `broadcastAt`)"
    let txs = sim.result_with(&t, "transactions").await;
    assert!(txs.get("payment").is_none());
    let list = txs["transactions"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["paymentAmount"], "5");
    assert_eq!(list[0]["paymentAssetSymbol"], "USDT");
    assert_eq!(list[0]["requiredConfirms"], 3);
    assert_eq!(list[0]["confirmations"], 3);
    assert!(list[0]["txid"].as_str().is_some_and(|t| t.len() == 32));
    assert!(list[0]["blockExplorerUrl"]
        .as_str()
        .unwrap()
        .ends_with(list[0]["txid"].as_str().unwrap()));
    assert!((list[0]["broadcastAt"].as_i64().unwrap() - now_s()).abs() < 60);

    // A top-up on the same traceId pays the rest: pending while it confirms,
    // now fully paid, then success.
    let (status, body) = sim.pay(json!({"traceId": t, "delayMs": 60_000})).await;
    assert_eq!(status, 200, "{body}");
    let topped_up = sim.result_with(&t, "payment,transactions").await;
    assert_eq!(topped_up["status"], "pending");
    assert!(topped_up["confirmations"].as_i64().unwrap() >= 0);
    assert_eq!(topped_up["payment"]["isFullyPaid"], true);
    assert_eq!(topped_up["payment"]["isMultiPay"], true);
    assert_eq!(topped_up["payment"]["totalTransactionsAmount"], "10");
    assert_eq!(topped_up["transactions"][1]["paymentAmount"], "5");
    sim.post("/_sim/clock", json!({"advanceMs": 61_000})).await;
    let paid = sim.result_with(&t, "payment,transactions").await;
    assert_eq!(paid["status"], "success");
    assert_eq!(paid["paymentAmount"], "10");
    assert_eq!(
        paid["payment"],
        json!({"isMultiPay": true, "isFullyPaid": true, "totalTransactionsAmount": "10"})
    );
    assert_eq!(paid["transactions"].as_array().unwrap().len(), 2);
    assert_eq!(paid["transactions"][1]["confirmations"], 3);
}

// "Ask for `with=payment` on every poll: it is the only documented way to tell "paid
// part of it, must top up" apart from "paid, confirming"."
#[tokio::test]
async fn a_full_payment_has_the_payment_object_too() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    // Before any payment there is nothing to say about it.
    assert!(sim
        .result_with(&t, "payment")
        .await
        .get("payment")
        .is_none());
    assert_eq!(
        sim.result_with(&t, "transactions").await["transactions"],
        json!([])
    );
    sim.pay(json!({"traceId": t, "delayMs": 60_000})).await;
    // `pending` with isFullyPaid true: paid in full, counting confirmations.
    let seen = sim.result_with(&t, "payment").await;
    assert_eq!(seen["status"], "pending");
    assert_eq!(
        seen["payment"],
        json!({"isMultiPay": false, "isFullyPaid": true, "totalTransactionsAmount": "10"})
    );
}

// "`expiredTimestamp` ... after it the payment turns `failed` with reason "Payment
// overtime""; "A `failed` result can carry a non-empty `paymentAmount`: what the
// customer did pay (an underpayment that ran out of time, ...)".
#[tokio::test]
async fn underpaid_without_a_top_up_fails_at_the_expiry() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "outcome": "underpaid"})).await;
    sim.post("/_sim/clock", json!({"advanceMs": 901_000})).await;
    let expired = sim.result_with(&t, "payment").await;
    assert_eq!(expired["status"], "failed");
    assert_eq!(expired["failureCode"], "40000");
    assert_eq!(expired["failureReason"], "Payment overtime");
    assert_eq!(expired["paymentAmount"], "5", "what the customer paid");
    assert_eq!(expired["paymentSymbol"], "USDT");
    assert_eq!(expired["payment"]["isFullyPaid"], false);
    assert_eq!(expired["payment"]["isMultiPay"], true);
    // The rest arriving after the expiry is refunded: still failed, all paid.
    let (status, body) = sim.pay(json!({"traceId": t})).await;
    assert_eq!(status, 200, "{body}");
    let late = sim.result(&t).await;
    assert_eq!(late["status"], "failed");
    assert_eq!(late["failureCode"], "40000");
    assert_eq!(late["paymentAmount"], "10");
    let (status, body) = sim.pay(json!({"traceId": t})).await;
    assert_eq!(status, 400);
    assert_envelope_error(&body, 40000);
}

// "a payment made after the expiry is refunded ... and the result stays `failed` /
// "payment overtime"". `late: true` is defensive only: MixPay documents a refund,
// not a late success; the WooCommerce plugin still re-checks.
#[tokio::test]
async fn a_payment_after_the_expiry_is_failed_with_what_was_paid() {
    let sim = start(false).await;
    let (t, t2) = (trace(), trace());
    sim.one_time(&t, "10").await;
    sim.one_time(&t2, "10").await;
    sim.post("/_sim/clock", json!({"advanceMs": 901_000})).await;
    let expired = sim.result_with(&t, "payment").await;
    assert_eq!(expired["status"], "failed");
    assert_eq!(expired["paymentAmount"], "", "nothing paid yet");
    let (status, body) = sim.pay(json!({"traceId": t})).await;
    assert_eq!(status, 200, "{body}");
    let late = sim.result_with(&t, "payment").await;
    assert_eq!(late["status"], "failed");
    assert_eq!(late["failureCode"], "40000");
    assert_eq!(late["failureReason"], "Payment overtime");
    assert_eq!(late["paymentAmount"], "10");
    assert_eq!(late["paymentSymbol"], "USDT");
    assert_eq!(late["quoteAmount"], "10");
    let (status, body) = sim.pay(json!({"traceId": t, "late": true})).await;
    assert_eq!(status, 400, "it stays failed");
    assert_envelope_error(&body, 40000);

    let (status, _) = sim.pay(json!({"traceId": t2, "late": true})).await;
    assert_eq!(status, 200);
    let defensive = sim.result_with(&t2, "payment").await;
    assert_eq!(defensive["status"], "success");
    assert_eq!(defensive["quoteAmount"], "10");
    assert_eq!(defensive["failureCode"], "0");
}

// "a Mixin-wallet or exchange payment that is still processing may read
// `isFullyPaid: false` with `isMultiPay: false`: that is "payment seen, confirming""
#[tokio::test]
async fn processing_is_a_wallet_payment_on_its_way() {
    let sim = start(false).await;
    let (t, t2, t3) = (trace(), trace(), trace());
    for t in [&t, &t2, &t3] {
        sim.one_time(t, "10").await;
        let (status, body) = sim
            .pay(json!({"traceId": t, "outcome": "processing"}))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    // It stays so, past the expiry too, until MixPay ends it.
    sim.post("/_sim/clock", json!({"advanceMs": 901_000})).await;
    let seen = sim.result_with(&t, "payment,transactions").await;
    assert_eq!(seen["status"], "pending");
    assert_eq!(seen["confirmations"], -1);
    assert_eq!(
        seen["payment"],
        json!({"isMultiPay": false, "isFullyPaid": false, "totalTransactionsAmount": "0"})
    );
    assert_eq!(seen["transactions"], json!([]));
    assert_eq!(seen["payableAmount"], "10");
    // Another payment meanwhile is a double payment; a top-up is not a thing.
    let (_, body) = sim.pay(json!({"traceId": t})).await;
    assert_envelope_error(&body, 40021);
    let (_, body) = sim.pay(json!({"traceId": t, "outcome": "underpaid"})).await;
    assert_envelope_error(&body, 40021);
    let (status, _) = sim
        .pay(json!({"traceId": t, "outcome": "success", "quoteAmount": "1"}))
        .await;
    assert_eq!(status, 400);
    let (status, body) = sim.pay(json!({"traceId": t, "outcome": "success"})).await;
    assert_eq!(status, 200, "{body}");
    let paid = sim.result_with(&t, "payment").await;
    assert_eq!(paid["status"], "success");
    assert_eq!(paid["paymentAmount"], "10");
    assert_eq!(
        paid["payment"],
        json!({"isMultiPay": false, "isFullyPaid": true, "totalTransactionsAmount": "10"})
    );

    // It can also end failed, or under review.
    for (t, end, status) in [
        (
            t2,
            json!({"outcome": "failed", "failureCode": 40025}),
            "failed",
        ),
        (t3, json!({"outcome": "auditing"}), "auditing"),
    ] {
        let mut body = end.clone();
        body["traceId"] = json!(t);
        assert_eq!(sim.pay(body).await.0, 200);
        assert_eq!(sim.result(&t).await["status"], status, "{end}");
    }
}

// "a payer who paid part of the amount shows as `status: pending` with
// `isFullyPaid: false`": until the rest is paid, however many times they pay less.
#[tokio::test]
async fn a_top_up_keeps_the_first_payments_terms() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "outcome": "underpaid"})).await;
    let (status, body) = sim.pay(json!({"traceId": t, "paymentAssetId": BTC})).await;
    assert_eq!(status, 400);
    assert_envelope_error(&body, 1017);
    // Paying less again pays half of the rest and stays underpaid.
    sim.pay(json!({"traceId": t, "outcome": "underpaid"})).await;
    let r = sim.result_with(&t, "payment").await;
    assert_eq!(r["status"], "pending");
    assert_eq!(r["payment"]["totalTransactionsAmount"], "7.5");
    assert_eq!(r["payment"]["isMultiPay"], true);
    assert_eq!(r["payment"]["isFullyPaid"], false);
}

// `data.status` is one of `unpaid`, `pending`, `auditing`, `failed`, `success`.
#[tokio::test]
async fn auditing_until_mixpay_ends_the_review() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    let (status, _) = sim.pay(json!({"traceId": t, "outcome": "auditing"})).await;
    assert_eq!(status, 200);
    let held = sim.result_with(&t, "payment").await;
    assert_eq!(held["status"], "auditing");
    assert_eq!(held["payment"]["isFullyPaid"], true);
    // Paying again is a second payment, refused as one.
    let (_, body) = sim.pay(json!({"traceId": t})).await;
    assert_envelope_error(&body, 40021);
    // MixPay ending the review is not a payment.
    let (status, body) = sim.pay(json!({"traceId": t, "outcome": "success"})).await;
    assert_eq!(status, 200, "{body}");
    let done = sim.result_with(&t, "payment,transactions").await;
    assert_eq!(done["status"], "success");
    assert_eq!(done["payment"]["isMultiPay"], false);
    assert_eq!(done["transactions"].as_array().unwrap().len(), 1);

    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "outcome": "auditing"})).await;
    sim.pay(json!({"traceId": t, "outcome": "failed", "failureCode": 40020}))
        .await;
    let refused = sim.result(&t).await;
    assert_eq!(refused["status"], "failed");
    assert_eq!(refused["failureCode"], "40020");
}

// "`payableAmount`/`payableSymbol` say what the payment asks for": the payer page
// shows the rest of it, and its "pay exactly" pays that rest.
#[tokio::test]
async fn payer_page_shows_what_is_still_owed_and_pays_the_rest() {
    let sim = start(false).await;
    let t = trace();
    let code = sim.one_time(&t, "10").await;
    let act = |action: &str| {
        sim.http
            .post(format!("{}/pay/act", sim.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("key={t}&action={action}"))
            .send()
    };
    act("less").await.unwrap();
    let page = act("less").await.unwrap().text().await.unwrap();
    assert!(page.contains("Underpaid: 2.5 USDT still to pay"), "{page}");
    assert!(page.contains("Pay exactly the rest (2.5 USDT)"), "{page}");
    assert!(
        !page.contains("Pay this amount"),
        "a top-up keeps the terms"
    );
    let r = sim.result_with(&t, "payment").await;
    assert_eq!(r["status"], "pending");
    assert_eq!(r["payment"]["totalTransactionsAmount"], "7.5");
    act("exact").await.unwrap();
    let r = sim.result_with(&t, "payment").await;
    assert_eq!(r["status"], "pending");
    assert_eq!(r["payment"]["isFullyPaid"], true);
    assert_eq!(r["payment"]["totalTransactionsAmount"], "10");
    sim.post("/_sim/clock", json!({"advanceMs": 5_000})).await;
    assert_eq!(sim.result(&t).await["status"], "success");
    let page = sim
        .http
        .get(format!("{}/code/{code}", sim.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(">Paid<") && !page.contains("Pay exactly"),
        "{page}"
    );
}

// "A traceId that nobody has opened or paid yet may answer `unpaid` or an error envelope"
#[tokio::test]
async fn unknown_trace_answer_error_or_unpaid() {
    let sim = start(false).await;
    let known = trace();
    sim.one_time(&known, "1").await;
    let (status, _) = sim
        .post("/_sim/faults", json!({"unknownTraceAnswer": "error"}))
        .await;
    assert_eq!(status, 200);
    let (status, body) = sim
        .get(&format!("/v1/payments_result?traceId={}", trace()))
        .await;
    assert_eq!(status, 400);
    assert_envelope_error(&body, 10011);
    assert!(body["message"].as_str().unwrap().contains("does not exist"));
    let (status, body) = sim
        .get(&format!(
            "/v1/payments_result?orderId=order_0002&payeeId={PAYEE}"
        ))
        .await;
    assert_eq!(status, 400);
    assert_envelope_error(&body, 10011);
    // A payment that has been created is known: it is unpaid.
    assert_eq!(sim.result(&known).await["status"], "unpaid");

    // An empty body clears it, like every other fault; so does a reset.
    sim.http
        .post(format!("{}/_sim/faults", sim.base))
        .send()
        .await
        .unwrap();
    assert_eq!(sim.result(&trace()).await["status"], "unpaid");
    sim.post("/_sim/faults", json!({"unknownTraceAnswer": "error"}))
        .await;
    sim.post("/_sim/reset", json!({})).await;
    assert_eq!(sim.result(&trace()).await["status"], "unpaid");
    let (status, _) = sim
        .post("/_sim/faults", json!({"unknownTraceAnswer": "maybe"}))
        .await;
    assert_eq!(status, 400);
}

// "`traceId` (echoes the sale's: check it)": the simulator can answer another one.
#[tokio::test]
async fn answer_trace_id_override() {
    let sim = start(false).await;
    let t = trace();
    let other = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "answerTraceId": other})).await;
    let r = sim.result(&t).await;
    assert_eq!(r["status"], "success");
    assert_eq!(r["traceId"], other);
    // Every later answer, not just one.
    assert_eq!(sim.result_with(&t, "payment").await["traceId"], other);
}

// "Field types drift (numbers as strings and back): parse tolerantly, but never let a
// number that arrived as a JSON float decide an amount."
#[tokio::test]
async fn answer_numbers_are_sent_with_every_digit() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    let (status, body) = sim
        .pay(json!({"traceId": t, "quoteAmount": "10.000000000000001",
                    "answerNumbers": ["quoteAmount", "payment.totalTransactionsAmount"]}))
        .await;
    assert_eq!(status, 200, "{body}");
    let text = sim
        .http
        .get(format!(
            "{}/v1/payments_result?traceId={t}&with=payment",
            sim.base
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(r#""quoteAmount":10.000000000000001"#),
        "{text}"
    );
    assert!(text.contains(r#""totalTransactionsAmount":10"#), "{text}");
    let r: Value = serde_json::from_str(&text).unwrap();
    assert!(r["data"]["quoteAmount"].is_number());
    assert!(
        r["data"]["quoteSymbol"].is_string(),
        "only the fields named"
    );
    assert_eq!(r["code"], 0);
}

// "A field that is missing or unreadable is not a contradiction: it means "ask again""
#[tokio::test]
async fn answer_omit_then_answer_fully_again() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "answerOmit": ["payeeId", "quoteAmount"]}))
        .await;
    let r = sim.result(&t).await;
    assert_eq!(r["status"], "success");
    assert!(
        r.get("payeeId").is_none() && r.get("quoteAmount").is_none(),
        "{r}"
    );
    assert_eq!(r["quoteAssetId"], "usd");

    // `/_sim/answer` replaces the overrides without paying.
    let (status, body) = sim
        .post(
            "/_sim/answer",
            json!({"traceId": t, "answerNumbers": ["paymentAmount"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"answerTraceId": null, "answerNumbers": ["paymentAmount"], "answerOmit": []})
    );
    let r = sim.result(&t).await;
    assert_eq!(r["payeeId"], PAYEE);
    assert!(r["paymentAmount"].is_number());
    // No override at all: the normal full answer.
    let (status, _) = sim.post("/_sim/answer", json!({"traceId": t})).await;
    assert_eq!(status, 200);
    let r = sim.result(&t).await;
    assert_eq!(r["quoteAmount"], "10");
    assert_eq!(r["paymentAmount"], "10");
    assert_eq!(r["traceId"], t);

    // It names payments like /_sim/pay, and refuses what it does not know.
    let (_, body) = sim.post("/_sim/answer", json!({"traceId": trace()})).await;
    assert_envelope_error(&body, 40022);
    let (status, _) = sim
        .post("/_sim/answer", json!({"traceId": t, "answerNumber": []}))
        .await;
    assert_eq!(status, 400);
    let (status, _) = sim
        .post("/_sim/pay", json!({"traceId": t, "outcom": "failed"}))
        .await;
    assert_eq!(status, 400, "a misspelt field is refused, not ignored");
}

// "The envelope's `timestampMs` is MixPay's clock"
#[tokio::test]
async fn timestamp_is_the_simulators_clock() {
    let sim = start(false).await;
    let hour = 3_600_000;
    sim.post("/_sim/clock", json!({"advanceMs": hour})).await;
    let before = now_s() * 1000 - 1000;
    let mut stamps = vec![];
    for path in [
        format!("/v1/payments_result?traceId={}", trace()),
        "/v1/setting/quote_assets".to_string(),
        "/v1/payments_result".to_string(),
    ] {
        let (_, body) = sim.get(&path).await;
        stamps.push(body["timestampMs"].as_i64().unwrap());
    }
    let after = now_s() * 1000 + 1000;
    for stamp in stamps {
        assert!(
            (before + hour..=after + hour).contains(&stamp),
            "{stamp} is not an hour ahead"
        );
    }
}

#[tokio::test]
async fn expiry_turns_unpaid_into_payment_overtime() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "5").await;
    let (_, clock) = sim.post("/_sim/clock", json!({"advanceMs": 901_000})).await;
    assert!(clock["data"]["nowMs"].as_i64().is_some());
    let expired = sim.result(&t).await;
    assert_eq!(expired["status"], "failed");
    assert_eq!(expired["failureCode"], "40000");
    assert_eq!(expired["failureReason"], "Payment overtime");
}

#[tokio::test]
async fn paying_twice_is_refused_with_40021() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "5").await;
    assert_eq!(sim.pay(json!({"traceId": t})).await.0, 200);
    let (status, body) = sim.pay(json!({"traceId": t})).await;
    assert_eq!(status, 400);
    assert_envelope_error(&body, 40021);
    assert_eq!(
        sim.result(&t).await["status"],
        "success",
        "the first payment stands"
    );
    let (_, body) = sim.pay(json!({"traceId": trace()})).await;
    assert_envelope_error(&body, 40022);
}

#[tokio::test]
async fn overrides_report_what_the_payer_really_paid() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(
        json!({"traceId": t, "quoteAmount": "1", "payeeId": OTHER_PAYEE, "paymentAssetId": BTC}),
    )
    .await;
    let r = sim.result(&t).await;
    assert_eq!(r["status"], "success");
    assert_eq!(r["quoteAmount"], "1");
    assert_eq!(r["payeeId"], OTHER_PAYEE);
    assert_eq!(r["paymentSymbol"], "BTC");
}

#[tokio::test]
async fn a_pay_link_edited_by_the_payer_reports_the_edited_values() {
    let sim = start(false).await;
    let t = trace();
    let link = format!(
        "/pay?payeeId={PAYEE}&traceId={t}&quoteAssetId=usd&quoteAmount=25.00&settlementAssetId={USDT}\
         &remark=Latte%20%26%20cake&expiredTimestamp={}",
        now_s() + 900
    );
    let tampered = link.replace("quoteAmount=25.00", "quoteAmount=2.50");
    let page = sim
        .http
        .get(format!("{}{tampered}", sim.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("2.50 USD"), "{html}");
    assert!(html.contains("Latte &amp; cake"));
    assert!(html.contains("Pay exactly"));
    sim.pay(json!({"traceId": t})).await;
    let r = sim.result(&t).await;
    assert_eq!(r["status"], "success");
    assert_eq!(r["quoteAmount"], "2.50");

    // A link with bad values shows the payer why, with MixPay's code.
    let bad = sim
        .http
        .get(format!("{}/pay?payeeId=nope&traceId={}", sim.base, trace()))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("1017"));
}

#[tokio::test]
async fn payer_page_buttons_pay() {
    let sim = start(false).await;
    let t = trace();
    let code = sim.one_time(&t, "3").await;
    let page = sim
        .http
        .get(format!("{}/code/{code}", sim.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("3 USD") && page.contains("Table 4"), "{page}");
    let no_redirect = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect
        .post(format!("{}/pay/act", sim.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("key={t}&action=amount&amount=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/code/{code}"));
    let r = sim.result(&t).await;
    assert_eq!(r["status"], "pending");
    assert_eq!(r["quoteAmount"], "2");
    let missing = sim
        .http
        .get(format!("{}/code/{}", sim.base, trace()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn mixin_id_lookup() {
    let sim = start(true).await;
    let (_, body) = sim.get("/v1/user/mixin_uuid/7000123456").await;
    assert_eq!(body["data"]["payeeId"], PAYEE);
    let (_, body) = sim.get("/v1/user/mixin_uuid/1").await;
    assert_envelope_error(&body, 10001);
    let (_, body) = sim.get("/v1/user/mixin_uuid/abc").await;
    assert_envelope_error(&body, 1017);
}

#[tokio::test]
async fn rate_limit_is_sixty_per_minute_with_headers() {
    let sim = start(true).await;
    for i in 0..60 {
        let r = sim
            .http
            .get(format!("{}/v1/setting/quote_assets", sim.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(r.headers()["x-ratelimit-limit"], "60");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            (59 - i).to_string().as_str()
        );
    }
    let r = sim
        .http
        .get(format!(
            "{}/v1/payments_result?traceId={}",
            sim.base,
            trace()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["x-ratelimit-remaining"], "0");
    assert_envelope_error(&r.json().await.unwrap(), 1429);
    // The control API and the payer pages are not MixPay's API: not limited.
    assert_eq!(
        sim.http
            .get(format!("{}/_sim/requests", sim.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    sim.post("/_sim/reset", json!({})).await;
    assert_eq!(sim.get("/v1/setting/quote_assets").await.0, 200);

    let open = start(false).await;
    for _ in 0..70 {
        assert_eq!(open.get("/v1/setting/quote_assets").await.0, 200);
    }
}

#[tokio::test]
async fn cors_like_a_public_api() {
    let sim = start(true).await;
    let r = sim
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/one_time_payment", sim.base),
        )
        .header("origin", "http://127.0.0.1:8080")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(
        r.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("content-type")
            || r.headers()["access-control-allow-headers"] == "*"
    );
    let r = sim
        .http
        .get(format!("{}/v1/setting/quote_assets", sim.base))
        .header("origin", "http://127.0.0.1:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("x-ratelimit-remaining"));
}

#[tokio::test]
async fn faults_errors_malformed_storm_latency_and_drops() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "1").await;
    let result_url = format!("{}/v1/payments_result?traceId={t}", sim.base);

    sim.post(
        "/_sim/faults",
        json!({"errorRate": 1.0, "endpoints": ["payments_result"]}),
    )
    .await;
    let r = sim.http.get(&result_url).send().await.unwrap();
    assert_eq!(r.status(), 500);
    assert_envelope_error(&r.json().await.unwrap(), -1);
    assert_eq!(
        sim.get("/v1/setting/quote_assets").await.0,
        200,
        "other endpoints unaffected"
    );

    // A gateway in front of MixPay: a 502 with no envelope at all.
    sim.post(
        "/_sim/faults",
        json!({"errorRate": 1.0, "errorStatus": 502, "endpoints": ["payments_result"]}),
    )
    .await;
    let r = sim.http.get(&result_url).send().await.unwrap();
    assert_eq!(r.status(), 502);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    sim.post("/_sim/faults", json!({"malformedRate": 1.0}))
        .await;
    let r = sim.http.get(&result_url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    sim.post("/_sim/faults", json!({"rateLimitStorm": 0.5}))
        .await;
    let r = sim.http.get(&result_url).send().await.unwrap();
    assert_eq!(r.status(), 429);
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        sim.http.get(&result_url).send().await.unwrap().status(),
        200
    );

    sim.post("/_sim/faults", json!({"latencyMs": 300})).await;
    let started = std::time::Instant::now();
    sim.http.get(&result_url).send().await.unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));

    sim.post("/_sim/faults", json!({"dropRate": 1.0})).await;
    let dropped = match sim.http.get(&result_url).send().await {
        Err(_) => true,
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(dropped, "the answer must not arrive whole");

    // An empty body clears every fault; unknown fields are refused.
    let r = sim
        .http
        .post(format!("{}/_sim/faults", sim.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        sim.http.get(&result_url).send().await.unwrap().status(),
        200
    );
    let (status, _) = sim.post("/_sim/faults", json!({"errorRat": 1})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn request_log_and_reset() {
    let sim = start(true).await;
    let t = trace();
    sim.get(&format!("/v1/payments_result?traceId={t}")).await;
    let (_, log) = sim.get("/_sim/requests").await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 1, "control calls are not logged");
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(log[0]["path"], "/v1/payments_result");
    assert_eq!(log[0]["query"], format!("traceId={t}"));
    assert!(log[0]["tsMs"].as_i64().unwrap() > 0);
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[0]["code"], 0);
    sim.one_time(&t, "1").await;
    sim.post("/_sim/reset", json!(null)).await;
    let (_, log) = sim.get("/_sim/requests").await;
    assert_eq!(log.as_array().unwrap().len(), 0);
    assert_eq!(
        sim.result(&t).await["status"],
        "unpaid",
        "payments are gone after reset"
    );
}

#[tokio::test]
async fn order_id_instead_of_trace_id() {
    let sim = start(false).await;
    let (status, body) = sim
        .post(
            "/v1/one_time_payment",
            json!({"payeeId": PAYEE, "orderId": "order_0001", "quoteAssetId": "usd",
            "quoteAmount": "7", "settlementAssetId": USDT}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    sim.pay(json!({"code": body["data"]["code"]})).await;
    let (_, r) = sim
        .get(&format!(
            "/v1/payments_result?orderId=order_0001&payeeId={PAYEE}"
        ))
        .await;
    assert_eq!(r["data"]["status"], "success");
    assert_eq!(r["data"]["orderId"], "order_0001");
    let (_, r) = sim
        .post(
            "/v1/one_time_payment",
            json!({"payeeId": PAYEE, "orderId": "ab", "quoteAssetId": "usd",
            "quoteAmount": "7", "settlementAssetId": USDT}),
        )
        .await;
    assert_envelope_error(&r, 1017);
}

#[tokio::test]
async fn icons_are_served_by_the_simulator() {
    let sim = start(true).await;
    let (_, body) = sim.get("/v1/setting/quote_assets").await;
    let url = body["data"][0]["iconUrl"].as_str().unwrap().to_string();
    assert!(url.starts_with(&sim.base), "{url}");
    let r = sim.http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.text().await.unwrap().contains("USD"));
}

#[tokio::test]
async fn an_order_id_beside_the_trace_id_is_recorded_unique_per_payee_and_queryable() {
    let sim = start(false).await;
    let (t, order) = (trace(), "T3K9QX-000127");
    let body = |trace_id: &str, payee: &str| {
        json!({
            "payeeId": payee, "traceId": trace_id, "orderId": order, "quoteAssetId": "usd",
            "quoteAmount": "14.20", "settlementAssetId": USDT, "expiredTimestamp": now_s() + 900,
        })
    };
    let (status, created) = sim.post("/v1/one_time_payment", body(&t, PAYEE)).await;
    assert_eq!(status, 200, "{created}");
    let code = created["data"]["code"].as_str().unwrap().to_string();
    // A retried POST of the same payment is the same code, not a reuse.
    let (_, again) = sim.post("/v1/one_time_payment", body(&t, PAYEE)).await;
    assert_eq!(again["data"]["code"], code.as_str());
    // The orderId is unique with the payee: another traceId may not take it,
    // another payee may.
    let (_, reused) = sim
        .post("/v1/one_time_payment", body(&trace(), PAYEE))
        .await;
    assert_envelope_error(&reused, 10011);
    let (status, other) = sim
        .post("/v1/one_time_payment", body(&trace(), OTHER_PAYEE))
        .await;
    assert_eq!(status, 200, "{other}");

    sim.pay(json!({"code": code})).await;
    let by_trace = sim.result(&t).await;
    assert_eq!(by_trace["orderId"], order);
    let (_, by_order) = sim
        .get(&format!(
            "/v1/payments_result?orderId={order}&payeeId={PAYEE}"
        ))
        .await;
    assert_eq!(by_order["data"]["traceId"], t.as_str(), "{by_order}");
    assert_eq!(by_order["data"]["status"], by_trace["status"]);

    // A pay link carries it too: recorded when the payer opens it.
    let t2 = trace();
    let link = format!(
        "{}/pay?payeeId={PAYEE}&traceId={t2}&orderId=T3K9QX-000128&quoteAssetId=usd&quoteAmount=3&settlementAssetId={USDT}",
        sim.base
    );
    assert_eq!(sim.http.get(&link).send().await.unwrap().status(), 200);
    let (_, by_order) = sim
        .get(&format!(
            "/v1/payments_result?orderId=T3K9QX-000128&payeeId={PAYEE}"
        ))
        .await;
    assert_eq!(by_order["data"]["traceId"], t2.as_str(), "{by_order}");
    assert_eq!(by_order["data"]["orderId"], "T3K9QX-000128");
    // The orderId of the one-time payment cannot be taken by a pay link.
    let taken = format!(
        "{}/pay?payeeId={PAYEE}&traceId={}&orderId={order}&quoteAssetId=usd&quoteAmount=3",
        sim.base,
        trace()
    );
    let page = sim
        .http
        .get(&taken)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("orderId already used"), "{page}");
}

// "`surplusAmount` (overpaid part; the payment is still `success`), `surplusStatus`
// (`no`/`pending`/`sending`/`success`: the refund of the surplus)"
#[tokio::test]
async fn surplus_is_answered_with_its_refund_status() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    assert_eq!(sim.result(&t).await["surplusAmount"], "0");
    assert_eq!(sim.result(&t).await["surplusStatus"], "no");
    let (status, body) = sim.pay(json!({"traceId": t, "surplusAmount": "2.5"})).await;
    assert_eq!(status, 200, "{body}");
    let r = sim.result_with(&t, "payment").await;
    assert_eq!(r["status"], "success");
    assert_eq!(r["quoteAmount"], "10");
    assert_eq!(r["surplusAmount"], "2.5");
    assert_eq!(r["surplusStatus"], "pending");
    assert_eq!(r["paymentAmount"], "12.5", "what the customer transferred");
    assert_eq!(r["payableAmount"], "10");
    // The docs also use `yes`; any status can be set.
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "surplusAmount": "1", "surplusStatus": "yes"}))
        .await;
    assert_eq!(sim.result(&t).await["surplusStatus"], "yes");
    let (status, _) = sim
        .pay(json!({"traceId": trace(), "surplusAmount": "-1"}))
        .await;
    assert_eq!(status, 400);
}

// "`settleStatus`/`settleAmount`/`settleSymbol`/`settleAsset` say what the merchant
// actually received, which without strict mode may be another asset"
#[tokio::test]
async fn settlement_in_another_asset() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "90").await;
    let unpaid = sim.result(&t).await;
    assert_eq!(unpaid["settleAsset"], USDT);
    assert_eq!(unpaid["settleStatus"], "pending");
    let (status, body) = sim.pay(json!({"traceId": t, "settleAsset": BTC})).await;
    assert_eq!(status, 200, "{body}");
    let r = sim.result(&t).await;
    assert_eq!(r["status"], "success");
    assert_eq!(r["settleStatus"], "success");
    assert_eq!(r["settleAsset"], BTC);
    assert_eq!(r["settleSymbol"], "BTC");
    assert_eq!(r["settleAmount"], "0.001");
    assert_eq!(r["paymentSymbol"], "USDT");

    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "settleSymbol": "usdc"})).await;
    let r = sim.result(&t).await;
    assert_eq!(r["settleSymbol"], "USDC");
    assert_eq!(r["settleAsset"], "9b180ab6-6abe-3dc0-a13f-04169eb34bfa");
    assert_eq!(r["settleAmount"], "10");
    for bad in [
        json!({"settleSymbol": "USD"}),
        json!({"settleAsset": BTC, "settleSymbol": "ETH"}),
    ] {
        let t = trace();
        sim.one_time(&t, "10").await;
        let mut body = bad.clone();
        body["traceId"] = json!(t);
        assert_eq!(sim.pay(body).await.0, 400, "{bad}");
    }
}

// "A `failed` result can carry a non-empty `paymentAmount`: what the customer did
// pay (... a wrong asset 40020, a wrong amount 40024, volatility 40025)."
#[tokio::test]
async fn a_failure_carries_what_the_customer_paid() {
    let sim = start(false).await;
    for (code, paid, reason) in [
        (40020, "0.0001", "asset"),
        (40021, "10", "Double"),
        (40024, "4", "amount"),
        (40025, "10", "volatility"),
    ] {
        let t = trace();
        sim.one_time(&t, "10").await;
        let mut body = json!({"traceId": t, "failureCode": code, "paymentAmount": paid});
        if code == 40020 {
            body["paymentAssetId"] = json!(BTC);
        }
        let (status, answer) = sim.pay(body).await;
        assert_eq!(status, 200, "{answer}");
        let r = sim.result_with(&t, "payment").await;
        assert_eq!(r["status"], "failed");
        assert_eq!(r["failureCode"], code.to_string());
        assert!(r["failureReason"].as_str().unwrap().contains(reason), "{r}");
        assert_eq!(r["paymentAmount"], paid);
        assert_eq!(
            r["paymentSymbol"],
            if code == 40020 { "BTC" } else { "USDT" }
        );
        assert_eq!(r["payment"]["isMultiPay"], false);
    }
    // paymentAmount is for a payment that fails; failureCode for outcome failed.
    let t = trace();
    sim.one_time(&t, "10").await;
    for body in [
        json!({"traceId": t, "paymentAmount": "4"}),
        json!({"traceId": t, "outcome": "success", "failureCode": 40024}),
        json!({"traceId": t, "outcome": "failed", "paymentAmount": "0"}),
    ] {
        assert_eq!(sim.pay(body.clone()).await.0, 400, "{body}");
    }
    // A late transfer may be any amount.
    sim.post("/_sim/clock", json!({"advanceMs": 901_000})).await;
    assert_eq!(
        sim.pay(json!({"traceId": t, "paymentAmount": "3"})).await.0,
        200
    );
    let r = sim.result(&t).await;
    assert_eq!(
        (r["failureCode"].clone(), r["paymentAmount"].clone()),
        (json!("40000"), json!("3"))
    );
}

// "40021 "double payment" implies an earlier payment exists": MixPay may still end
// the payment in success, and a later `/_sim/pay` with `success` plays that.
#[tokio::test]
async fn a_double_payment_failure_can_end_in_success() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "outcome": "failed", "failureCode": 40021}))
        .await;
    assert_eq!(sim.result(&t).await["failureCode"], "40021");
    let (_, body) = sim.pay(json!({"traceId": t})).await;
    assert_envelope_error(&body, 40021);
    let (status, body) = sim.pay(json!({"traceId": t, "outcome": "success"})).await;
    assert_eq!(status, 200, "{body}");
    let r = sim.result_with(&t, "transactions").await;
    assert_eq!(r["status"], "success");
    assert_eq!(r["failureCode"], "0");
    assert_eq!(
        r["transactions"].as_array().unwrap().len(),
        1,
        "no new transfer"
    );
    // Other failures are final.
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t, "failureCode": 40024})).await;
    let (_, body) = sim.pay(json!({"traceId": t, "outcome": "success"})).await;
    assert_envelope_error(&body, 40024);
}

// "A MixPay error answer about a sale that is not "unknown traceId" (2000, 10007,
// 10008, 1017/10011, 40022) must not be silent forever": the simulator can answer
// any code for every `payments_result`.
#[tokio::test]
async fn result_error_answers_every_payments_result_with_that_code() {
    let sim = start(false).await;
    let t = trace();
    sim.one_time(&t, "10").await;
    sim.pay(json!({"traceId": t})).await;
    for (code, http, words) in [
        (10008, 400, "maintenance"),
        (2000, 400, "permission"),
        (10007, 400, "can not provide service"),
        (1017, 400, "parameter"),
        (40022, 400, "does not exist"),
        (1429, 429, "Too many"),
    ] {
        let (status, _) = sim.post("/_sim/faults", json!({"resultError": code})).await;
        assert_eq!(status, 200);
        for path in [
            format!("/v1/payments_result?traceId={t}&with=payment"),
            format!("/v1/payments_result?traceId={}", trace()),
            format!("/v1/payments_result?orderId=order_0009&payeeId={PAYEE}"),
        ] {
            let (status, body) = sim.get(&path).await;
            assert_eq!(status, http, "{code} {path}");
            assert_envelope_error(&body, code);
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains(&words.to_lowercase()),
                "{body}"
            );
        }
        assert_eq!(
            sim.get("/v1/setting/quote_assets").await.0,
            200,
            "only payments_result"
        );
    }
    sim.post("/_sim/faults", json!({})).await;
    assert_eq!(sim.result(&t).await["status"], "success");
    let (status, _) = sim.post("/_sim/faults", json!({"resultError": "x"})).await;
    assert_eq!(status, 400);
}

// "A sale can also be found by `orderId` + `payeeId` (the pay link's docs steer
// integrators to `orderId`)": with `payLinkKey: "orderId"` a pay link is known
// that way only; one-time payments are known both ways.
#[tokio::test]
async fn pay_links_known_by_order_id_only() {
    let sim = start(false).await;
    let (t, order) = (trace(), "S-000042");
    let link = format!(
        "{}/pay?payeeId={PAYEE}&traceId={t}&orderId={order}&quoteAssetId=usd&quoteAmount=3&settlementAssetId={USDT}",
        sim.base
    );
    assert_eq!(sim.http.get(&link).send().await.unwrap().status(), 200);
    sim.pay(json!({"traceId": t})).await;
    let (t1, order1) = (trace(), "S-000043");
    sim.post(
        "/v1/one_time_payment",
        json!({"payeeId": PAYEE, "traceId": t1, "orderId": order1, "quoteAssetId": "usd",
               "quoteAmount": "4", "settlementAssetId": USDT}),
    )
    .await;
    sim.pay(json!({"traceId": t1})).await;

    sim.post("/_sim/faults", json!({"payLinkKey": "orderId"}))
        .await;
    let by_trace = sim.result(&t).await;
    assert_eq!(by_trace["status"], "unpaid", "{by_trace}");
    let (_, by_order) = sim
        .get(&format!(
            "/v1/payments_result?orderId={order}&payeeId={PAYEE}&with=payment"
        ))
        .await;
    assert_eq!(by_order["data"]["status"], "success", "{by_order}");
    assert_eq!(by_order["data"]["traceId"], t.as_str());
    assert_eq!(by_order["data"]["quoteAmount"], "3");
    // Another payee's orderId is another order.
    let (_, other) = sim
        .get(&format!(
            "/v1/payments_result?orderId={order}&payeeId={OTHER_PAYEE}"
        ))
        .await;
    assert_eq!(other["data"]["status"], "unpaid");
    // One-time payments: both ways.
    assert_eq!(sim.result(&t1).await["status"], "success");
    let (_, by_order) = sim
        .get(&format!(
            "/v1/payments_result?orderId={order1}&payeeId={PAYEE}"
        ))
        .await;
    assert_eq!(by_order["data"]["traceId"], t1.as_str());
    // "unknown" as configured.
    sim.post(
        "/_sim/faults",
        json!({"payLinkKey": "orderId", "unknownTraceAnswer": "error"}),
    )
    .await;
    let (status, body) = sim.get(&format!("/v1/payments_result?traceId={t}")).await;
    assert_eq!(status, 400);
    assert_envelope_error(&body, 10011);
    sim.post("/_sim/faults", json!({})).await;
    assert_eq!(sim.result(&t).await["status"], "success");
    let (status, _) = sim
        .post("/_sim/faults", json!({"payLinkKey": "code"}))
        .await;
    assert_eq!(status, 400);
}

// MixPay's pay link documents `amount` ("takes priority over `quoteAmount`") and
// `paymentAssetId`: the payer can add them, and the result reports what was charged.
#[tokio::test]
async fn a_pay_link_honours_amount_and_payment_asset_id() {
    let sim = start(false).await;
    let t = trace();
    let link = format!(
        "{}/pay?payeeId={PAYEE}&traceId={t}&quoteAssetId=usd&quoteAmount=9.00&settlementAssetId={USDT}&amount=0.01",
        sim.base
    );
    let html = sim
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("0.01 USD") && !html.contains("9.00"),
        "{html}"
    );
    let page = sim
        .http
        .post(format!("{}/pay/act", sim.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("key={t}&action=exact"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    sim.post("/_sim/clock", json!({"advanceMs": 5_000})).await;
    let r = sim.result(&t).await;
    assert_eq!(r["status"], "success");
    assert_eq!(
        r["quoteAmount"], "0.01",
        "what was charged, not what the till asked"
    );
    assert_eq!(r["paymentAmount"], "0.01");

    // paymentAssetId: the payer pays in that asset.
    let t = trace();
    let link = format!(
        "{}/pay?payeeId={PAYEE}&traceId={t}&quoteAssetId=usd&quoteAmount=90&paymentAssetId={BTC}",
        sim.base
    );
    assert_eq!(sim.http.get(&link).send().await.unwrap().status(), 200);
    sim.pay(json!({"traceId": t})).await;
    let r = sim.result(&t).await;
    assert_eq!(r["paymentSymbol"], "BTC");
    assert_eq!(r["paymentAmount"], "0.001");
    assert_eq!(r["quoteAmount"], "90");
    let bad = format!(
        "{}/pay?payeeId={PAYEE}&traceId={}&quoteAssetId=usd&quoteAmount=9&paymentAssetId=usd",
        sim.base,
        trace()
    );
    let page = sim
        .http
        .get(&bad)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("10002"), "{page}");

    // /_sim/pay says the same without a browser: `amount` on a pay link.
    let t = trace();
    let link = format!(
        "{}/pay?payeeId={PAYEE}&traceId={t}&quoteAssetId=usd&quoteAmount=9.00",
        sim.base
    );
    sim.http.get(&link).send().await.unwrap();
    let (status, body) = sim.pay(json!({"traceId": t, "amount": "0.01"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(sim.result(&t).await["quoteAmount"], "0.01");
    // A one-time payment cannot be edited by the payer.
    let t = trace();
    sim.one_time(&t, "9").await;
    let (status, body) = sim.pay(json!({"traceId": t, "amount": "0.01"})).await;
    assert_eq!(status, 400);
    assert_envelope_error(&body, 1017);
}

// The request log says how each request was answered: HTTP status and envelope code.
#[tokio::test]
async fn request_log_records_each_answers_status_and_code() {
    let sim = start(true).await;
    sim.get("/v1/payments_result").await; // 1017
    sim.post("/_sim/faults", json!({"resultError": 10008}))
        .await;
    sim.get(&format!("/v1/payments_result?traceId={}", trace()))
        .await;
    sim.post(
        "/_sim/faults",
        json!({"errorRate": 1.0, "errorStatus": 502}),
    )
    .await;
    sim.http
        .get(format!("{}/v1/setting/quote_assets", sim.base))
        .send()
        .await
        .unwrap();
    sim.post("/_sim/faults", json!({"malformedRate": 1.0}))
        .await;
    sim.http
        .get(format!("{}/v1/setting/quote_assets", sim.base))
        .send()
        .await
        .unwrap();
    sim.post("/_sim/faults", json!({})).await;
    for _ in 0..60 {
        sim.get("/v1/setting/quote_assets").await;
    }
    let page = sim
        .http
        .get(format!("{}/code/{}", sim.base, trace()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let (_, log) = sim.get("/_sim/requests").await;
    let log = log.as_array().unwrap();
    let seen: Vec<(Value, Value)> = log
        .iter()
        .map(|r| (r["status"].clone(), r["code"].clone()))
        .collect();
    assert_eq!(seen[0], (json!(400), json!(1017)));
    assert_eq!(seen[1], (json!(400), json!(10008)));
    assert_eq!(seen[2], (json!(502), Value::Null), "a gateway's page");
    assert_eq!(seen[3], (json!(200), Value::Null), "a garbage body");
    // 60 allowed in the minute, the 4 answers above included: the last 4 are 1429.
    let limited: Vec<_> = log.iter().filter(|r| r["code"] == 1429).collect();
    assert_eq!(limited.len(), 4, "{log:?}");
    assert!(limited.iter().all(|r| r["status"] == 429));
    assert!(log.last().unwrap()["path"]
        .as_str()
        .unwrap()
        .starts_with("/code/"));
    assert_eq!(log.last().unwrap()["status"], 404);
    assert_eq!(log.last().unwrap()["code"], Value::Null);
}

// "All three `/setting/*` lists take `payeeId`"
#[tokio::test]
async fn the_three_lists_take_payee_id() {
    let sim = start(false).await;
    for list in ["quote_assets", "settlement_assets", "payment_assets"] {
        let (status, body) = sim
            .get(&format!("/v1/setting/{list}?payeeId={OTHER_PAYEE}"))
            .await;
        assert_eq!(status, 200, "{list}");
        assert!(!body["data"].as_array().unwrap().is_empty());
        let (_, body) = sim
            .get(&format!(
                "/v1/setting/{list}?payeeId=00000000-0000-4000-8000-000000000000&quoteAssetId=usd&quoteAmount=5"
            ))
            .await;
        assert_envelope_error(&body, 10001);
    }
}

// "`settlement_assets?quoteAssetId=&quoteAmount=` answers `isAvailable` per asset: with
// strict mode on and `isAvailable: false`, nobody can pay that sale"
#[tokio::test]
async fn an_asset_can_be_made_unavailable_for_settlement() {
    let sim = start(false).await;
    let url =
        format!("/v1/setting/settlement_assets?payeeId={PAYEE}&quoteAssetId=usd&quoteAmount=20");
    let available = |body: &Value, id: &str| {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["assetId"] == id)
            .unwrap()["isAvailable"]
            .clone()
    };
    let (_, body) = sim.get(&url).await;
    assert_eq!(available(&body, USDT), true);
    assert_eq!(available(&body, BTC), true);
    sim.post("/_sim/faults", json!({"unavailableSettlement": [USDT]}))
        .await;
    let (_, body) = sim.get(&url).await;
    assert_eq!(available(&body, USDT), false);
    assert_eq!(available(&body, BTC), true);
    let (_, body) = sim.get("/v1/setting/settlement_assets").await;
    assert!(
        body["data"][0].get("isAvailable").is_none(),
        "only for a quote"
    );
    sim.post("/_sim/faults", json!({})).await;
    let (_, body) = sim.get(&url).await;
    assert_eq!(available(&body, USDT), true);
}

/// Waits for the start of a wall-clock second, so a request sent now is
/// answered within the same second.
async fn start_of_a_second() {
    loop {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_millis();
        if ms < 300 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1000 - u64::from(ms))).await;
    }
}

// "`expiredTimestamp` ... more than 10 s and less than 2880 min ahead (2880 itself is
// out)"; "`POST /one_time_payment` (JSON or form body)"; "strictMode (bool)".
#[tokio::test]
async fn one_time_payment_bounds_and_both_body_encodings() {
    let sim = start(false).await;
    let form = |pairs: &[(&str, String)]| {
        pairs
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    v.replace('%', "%25").replace('&', "%26").replace(' ', "+")
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let post_form = |body: String| {
        sim.http
            .post(format!("{}/v1/one_time_payment", sim.base))
            .header(
                "content-type",
                "application/x-www-form-urlencoded;charset=UTF-8",
            )
            .body(body)
            .send()
    };
    let fields = |t: &str, strict: &str, expiry: String| {
        vec![
            ("payeeId", PAYEE.to_string()),
            ("traceId", t.to_string()),
            ("quoteAssetId", "usd".to_string()),
            ("quoteAmount", "9.50".to_string()),
            ("settlementAssetId", USDT.to_string()),
            ("strictMode", strict.to_string()),
            ("expiredTimestamp", expiry),
            ("remark", "Tisch 4 & café".to_string()),
        ]
    };
    // Form bodies, strictMode "true" or "1", the expiry as text.
    for strict in ["true", "1", "0", "false"] {
        let t = trace();
        let r = post_form(form(&fields(&t, strict, (now_s() + 600).to_string())))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{strict}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], 0, "{body}");
        let result = sim.result(&t).await;
        assert_eq!(result["remark"], "Tisch 4 & café");
        assert_eq!(result["quoteAmount"], "9.50");
    }
    // JSON bodies: the expiry as a number or a string, strictMode a boolean or text.
    for (strict, expiry) in [
        (json!(true), json!(now_s() + 600)),
        (json!("1"), json!((now_s() + 600).to_string())),
        (json!(false), json!(now_s() + 600)),
    ] {
        let (status, body) = sim
            .post(
                "/v1/one_time_payment",
                json!({"payeeId": PAYEE, "traceId": trace(), "quoteAssetId": "usd",
                       "quoteAmount": "9.50", "settlementAssetId": USDT,
                       "strictMode": strict, "expiredTimestamp": expiry}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    // The bounds, in both encodings.
    for (ahead, ok) in [
        (2880 * 60, false),
        (2880 * 60 - 60, true),
        (10, false),
        (12, true),
    ] {
        start_of_a_second().await;
        let expiry = now_s() + ahead;
        let (status, body) = sim
            .post(
                "/v1/one_time_payment",
                json!({"payeeId": PAYEE, "traceId": trace(), "quoteAssetId": "usd",
                       "quoteAmount": "1", "settlementAssetId": USDT, "expiredTimestamp": expiry}),
            )
            .await;
        assert_eq!(status == 200, ok, "{ahead}: {body}");
        start_of_a_second().await;
        let r = post_form(form(&fields(&trace(), "0", (now_s() + ahead).to_string())))
            .await
            .unwrap();
        assert_eq!(r.status() == 200, ok, "form {ahead}");
    }
    // A form with a bad value answers the envelope like JSON does.
    let r = post_form(form(&fields(
        &trace(),
        "maybe",
        (now_s() + 600).to_string(),
    )))
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert_envelope_error(&r.json().await.unwrap(), 1017);
}
