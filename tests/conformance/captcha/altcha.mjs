// The Altcha client side for the conformance tests, done by the real npm `altcha-lib` (the code
// the <altcha-widget> runs), so the C++ plugin is checked against the protocol as shipped, not
// against our own reading of it.
//
//   node altcha.mjs solve  '<challenge JSON>'            -> base64 payload, as the widget submits it
//   node altcha.mjs create <hmacKey> <expiresUnix> <max>  -> a challenge JSON made by altcha-lib
//   node altcha.mjs verify <hmacKey> '<base64 payload>'   -> "true" / "false" from altcha-lib
import { createChallenge, solveChallenge, verifySolution } from 'altcha-lib';

const [mode, ...args] = process.argv.slice(2);

async function main() {
  if (mode === 'solve') {
    const c = JSON.parse(args[0]);
    // The widget reads the top-level fields of the challenge URL's answer; so do we.
    const max = c.maxnumber ?? c.maxNumber;
    const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, max).promise;
    if (!solution) throw new Error('no solution found up to ' + max);
    // Same encoding as the widget's createAltchaPayload(): btoa(JSON.stringify({...})).
    const payload = {
      algorithm: c.algorithm,
      challenge: c.challenge,
      number: solution.number,
      salt: c.salt,
      signature: c.signature,
      took: solution.took,
    };
    process.stdout.write(btoa(JSON.stringify(payload)));
  } else if (mode === 'create') {
    const [hmacKey, expires, max] = args;
    const c = await createChallenge({
      hmacKey,
      maxnumber: Number(max),
      expires: new Date(Number(expires) * 1000),
    });
    process.stdout.write(JSON.stringify(c));
  } else if (mode === 'verify') {
    const [hmacKey, payload] = args;
    process.stdout.write(String(await verifySolution(payload, hmacKey)));
  } else {
    throw new Error('usage: altcha.mjs solve|create|verify ...');
  }
}

main().catch((e) => {
  process.stderr.write(String(e?.stack || e) + '\n');
  process.exit(1);
});
