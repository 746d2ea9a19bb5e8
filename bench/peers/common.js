// Shared harness for the peer-engine runners: argument parsing, timed routing loop, output.
//
// How peers are timed (in-process, wall clock via process.hrtime.bigint):
//   the clock starts before the cases file is read and stops after the last case has been
//   routed; it covers reading the whole file, splitting it into lines, JSON.parse of every
//   line, routing the parsed case through the engine and keeping {case_id, route, rule}.
//   A runner routes one case at a time (window 1: await each case before parsing the
//   next), or keeps up to `window` evaluations in flight (Promise.all over consecutive
//   cases) where the engine's API is asynchronous native work and that is faster.
//   Not timed: node start-up, module loading, building the engine from its rule JSON
//   (one-time set-up), and writing the decisions out (only done with --out, for the
//   correctness check). frontdoor, by contrast, is timed as a whole process, start-up,
//   rule loading and output included, so this errs in the peers' favour.
'use strict';
const fs = require('fs');

function usage(name) {
	process.stderr.write(`usage: node ${name} --cases FILE --catalogue FILE [--out FILE]\n`);
	process.exit(2);
}

function parseArgs(name) {
	const a = { cases: null, catalogue: null, out: null };
	const argv = process.argv.slice(2);
	for (let i = 0; i < argv.length; i++) {
		const k = argv[i], v = argv[i + 1];
		if (k === '--cases') a.cases = v;
		else if (k === '--catalogue') a.catalogue = v;
		else if (k === '--out') a.out = v;
		else usage(name);
		i++;
	}
	if (!a.cases || !a.catalogue)
		usage(name);
	return a;
}

// Run the timed loop: route(caseObject) -> Promise<{route, rule}>, at most `window`
// cases in flight.  Prints one JSON line {"engine","cases","seconds","window"} on stdout;
// writes decisions to --out if given.
async function runPeer(engineName, args, route, window = 1) {
	const t0 = process.hrtime.bigint();
	const text = fs.readFileSync(args.cases, 'utf8');
	const lines = text.split('\n');
	if (lines.length && lines[lines.length - 1] === '')
		lines.pop();
	const ids = new Array(lines.length), routes = new Array(lines.length),
	    rules = new Array(lines.length);
	if (window <= 1) {
		for (let i = 0; i < lines.length; i++) {
			const c = JSON.parse(lines[i]);
			const d = await route(c);
			ids[i] = c.case_id;
			routes[i] = d.route;
			rules[i] = d.rule;
		}
	} else {
		for (let i = 0; i < lines.length; i += window) {
			const end = Math.min(i + window, lines.length), pending = [];
			for (let j = i; j < end; j++) {
				const c = JSON.parse(lines[j]);
				ids[j] = c.case_id;
				pending.push(route(c));
			}
			const ds = await Promise.all(pending);
			for (let j = i; j < end; j++) {
				routes[j] = ds[j - i].route;
				rules[j] = ds[j - i].rule;
			}
		}
	}
	const t1 = process.hrtime.bigint();
	if (args.out) {
		const out = [];
		for (let i = 0; i < lines.length; i++)
			out.push(JSON.stringify({ case_id: ids[i], route: routes[i], rule: rules[i] }));
		fs.writeFileSync(args.out, out.join('\n') + (out.length ? '\n' : ''));
	}
	process.stdout.write(JSON.stringify({ engine: engineName, cases: lines.length,
	    seconds: Number(t1 - t0) / 1e9, window }) + '\n');
}

module.exports = { parseArgs, runPeer };
