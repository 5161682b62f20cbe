// The owner PIN for config.json, hashed as the app stores it (salted
// PBKDF2-SHA-256, 210,000 rounds, 16 random bytes of salt): a provisioned
// tablet then opens Settings only with this PIN, whatever is done to it at
// the counter (the PIN is stored again from config.json on every start).
//
//   node scripts/make-pin-hash.mjs            (asks for the PIN, not echoed)
//   echo 583920 | node scripts/make-pin-hash.mjs
//
// Prints the field to paste into config.json:
//   "ownerPinHash": {"algorithm":"PBKDF2-SHA-256","iterations":210000,"salt":"…","hash":"…"}
import { pbkdf2Sync, randomBytes } from 'node:crypto';

const ITERATIONS = 210_000; // src/domain/pin.rs PBKDF2_ITERATIONS
const MIN_DIGITS = 6; // src/domain/pin.rs PIN_MIN_DIGITS
const MAX_DIGITS = 8;

/** The same rule as src/domain/pin.rs `is_easy_to_guess`. */
export function isEasyToGuess(pin) {
  const d = [...pin].map(Number);
  const steps = (k) => d.slice(1).every((x, i) => (((x - d[i]) % 10) + 10) % 10 === ((k % 10) + 10) % 10);
  const repeats = [1, 2, 3].some((p) => p < d.length && d.slice(p).every((x, i) => x === d[i]));
  const common = ['112233', '123321', '147258', '159753', '258369', '321654', '520520', '5201314', '741852', '852456', '951753', '123654', '102030', '110110'];
  return d.length < 2 || steps(1) || steps(-1) || repeats || common.includes(pin);
}

export function makePinHash(pin, salt = randomBytes(16)) {
  if (!new RegExp(`^[0-9]{${MIN_DIGITS},${MAX_DIGITS}}$`).test(pin)) {
    throw new Error(`the PIN must be ${MIN_DIGITS} to ${MAX_DIGITS} digits`);
  }
  if (isEasyToGuess(pin)) throw new Error('choose a PIN that is not easy to guess');
  const hash = pbkdf2Sync(pin, salt, ITERATIONS, 32, 'sha256');
  return { algorithm: 'PBKDF2-SHA-256', iterations: ITERATIONS, salt: salt.toString('hex'), hash: hash.toString('hex') };
}

async function readPin() {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.trim();
  }
  process.stdout.write('Owner PIN (6 to 8 digits): ');
  process.stdin.setRawMode(true);
  let pin = '';
  for await (const chunk of process.stdin) {
    for (const c of chunk.toString()) {
      if (c === '\r' || c === '\n') {
        process.stdin.setRawMode(false);
        process.stdout.write('\n');
        return pin;
      }
      if (c === '\u0003') process.exit(130);
      if (c === '\u007f') pin = pin.slice(0, -1);
      else pin += c;
    }
  }
  return pin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const record = makePinHash(await readPin());
    console.log(`"ownerPinHash": ${JSON.stringify(record)}`);
    process.exit(0);
  } catch (e) {
    console.error(`make-pin-hash: ${e.message}`);
    process.exit(1);
  }
}
