// slowproxy: a TCP stand-in for a slow network between the pool and PostgreSQL.
// Everything is forwarded; replies are held back by `delay` milliseconds.
// `turns` counts round trips: each time a client sends again after the
// server has answered it (a pipeline of statements is one).
'use strict';

const net = require('node:net');

function slowProxy(targetPort, targetHost = '127.0.0.1') {
	const state = { delay: 0, turns: 0, sockets: new Set() };
	const server = net.createServer((client) => {
		const upstream = net.connect(targetPort, targetHost);
		state.sockets.add(client);
		state.sockets.add(upstream);
		// Replies stay in order: each waits for the one before it.
		let chain = Promise.resolve();
		let answered = true;
		client.on('data', (d) => {
			if (answered) state.turns++;
			answered = false;
			upstream.write(d);
		});
		upstream.on('data', (d) => {
			answered = true;
			const ms = state.delay;
			chain = chain.then(() => new Promise((r) => setTimeout(r, ms)))
				.then(() => client.destroyed || client.write(d));
		});
		const close = () => {
			client.destroy();
			upstream.destroy();
		};
		client.on('error', close);
		upstream.on('error', close);
		client.on('close', close);
		upstream.on('close', close);
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			state.port = server.address().port;
			state.close = () => new Promise((r) => {
				for (const s of state.sockets) s.destroy();
				server.close(() => r());
			});
			resolve(state);
		});
	});
}

module.exports = { slowProxy };
