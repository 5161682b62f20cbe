//! `mixpay-sim [--host 127.0.0.1] [--port 8787] [--no-rate-limit]`
//!
//! Environment: `MIXPAY_SIM_HOST`, `MIXPAY_SIM_PORT`, `MIXPAY_SIM_RATE_LIMIT=0`.

use std::process::ExitCode;

const USAGE: &str = "usage: mixpay-sim [--host HOST] [--port PORT] [--no-rate-limit]
  --host HOST        address to listen on (env MIXPAY_SIM_HOST, default 127.0.0.1)
  --port PORT        port to listen on (env MIXPAY_SIM_PORT, default 8787; 0 picks one)
  --no-rate-limit    turn MixPay's 60 requests/minute limit off (env MIXPAY_SIM_RATE_LIMIT=0)";

struct Options {
    host: String,
    port: u16,
    rate_limit: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        host: std::env::var("MIXPAY_SIM_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        port: match std::env::var("MIXPAY_SIM_PORT") {
            Ok(p) => p
                .parse()
                .map_err(|_| format!("MIXPAY_SIM_PORT {p:?} is not a port"))?,
            Err(_) => 8787,
        },
        rate_limit: std::env::var("MIXPAY_SIM_RATE_LIMIT").map_or(true, |v| v != "0"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--host" => o.host = args.next().ok_or("--host needs a value")?,
            "--port" => {
                let p = args.next().ok_or("--port needs a value")?;
                o.port = p
                    .parse()
                    .map_err(|_| format!("--port {p:?} is not a port"))?;
            }
            "--no-rate-limit" => o.rate_limit = false,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

#[tokio::main]
async fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("mixpay-sim: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind((o.host.as_str(), o.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("mixpay-sim: cannot listen on {}:{}: {e}", o.host, o.port);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!(
        "MixPay simulator on http://{addr}/ (API http://{addr}/v1, rate limit {})",
        if o.rate_limit { "on" } else { "off" }
    );
    match mixpay_sim::serve(listener, o.rate_limit).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mixpay-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
