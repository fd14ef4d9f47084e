#!/usr/bin/python3
"""A browser session that keeps its cookies across pages, for the staff's
end-to-end tests: headless Chromium driven over the DevTools protocol on a
pipe (--remote-debugging-pipe), with nothing but Python's standard library.

	browser.py STEPS OUT

STEPS has one step a line, run in order:

	goto URL		load URL, as a user typing it would
	fill NAME VALUE		set the first form's field NAME (VALUE: the
				rest of the line)
	check NAME VALUE	tick the first form's checkbox NAME whose
				value is VALUE
	submit			submit the first form and wait for its answer
	upload NAME PATH	put the file PATH (UTF-8 text) into the first
				form's file input NAME, as a person choosing it
	click SELECTOR		click the element the CSS selector finds (a
				form's button, which then sends its own name
				and value) and wait for the page it leads to

After each goto and submit the page's address and DOM are appended to OUT
as "== URL" and the DOM. DevTools' script runs apart from the page's, so
the pages' Content-Security-Policy, which allows none, stays as served.
Exits 1 when a step fails, or after 60 seconds.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile


class Browser:
	def __init__(self, home):
		to_chrome_r, self.to_chrome = os.pipe()
		self.from_chrome, from_chrome_w = os.pipe()

		def pipes():
			# Chromium reads commands on fd 3 and answers on fd 4.
			r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
			os.dup2(r, 3)
			os.dup2(w, 4)

		self.proc = subprocess.Popen(
			[os.environ.get('CHROMIUM', 'chromium'), '--headless',
			 '--no-sandbox', '--disable-gpu',
			 '--user-data-dir=' + home + '/profile',
			 '--remote-debugging-pipe', 'about:blank'],
			preexec_fn=pipes, pass_fds=(3, 4),
			stdout=subprocess.DEVNULL, stderr=open(home + '/log', 'w'),
			env=dict(os.environ, HOME=home))
		os.close(to_chrome_r)
		os.close(from_chrome_w)
		self.pending = b''
		self.next_id = 0
		self.events = []
		target = self.call('Target.createTarget', url='about:blank')
		self.session = self.call('Target.attachToTarget',
					 targetId=target['targetId'],
					 flatten=True)['sessionId']
		self.call('Page.enable', session=True)

	def read(self):
		while b'\0' not in self.pending:
			data = os.read(self.from_chrome, 65536)
			if not data:
				sys.exit('browser.py: Chromium went away')
			self.pending += data
		msg, self.pending = self.pending.split(b'\0', 1)
		return json.loads(msg)

	def call(self, method, session=False, **params):
		self.next_id += 1
		msg = {'id': self.next_id, 'method': method, 'params': params}
		if session:
			msg['sessionId'] = self.session
		os.write(self.to_chrome, json.dumps(msg).encode() + b'\0')
		while True:
			m = self.read()
			if m.get('id') == self.next_id:
				if 'error' in m:
					sys.exit('browser.py: %s: %s' % (method, m['error']))
				return m.get('result', {})
			self.events.append(m.get('method'))

	def wait_load(self):
		while 'Page.loadEventFired' not in self.events:
			self.events.append(self.read().get('method'))
		self.events = []

	def eval(self, expr):
		r = self.call('Runtime.evaluate', session=True, expression=expr,
			      returnByValue=True)
		if 'exceptionDetails' in r:
			sys.exit('browser.py: %s: %s' % (expr, r['exceptionDetails']))
		return r['result'].get('value')

	def close(self):
		self.proc.terminate()
		self.proc.wait()


def main():
	if len(sys.argv) != 3:
		sys.exit('usage: browser.py STEPS OUT')
	signal.alarm(60)
	home = tempfile.mkdtemp(prefix='browser.')
	b = None
	try:
		b = Browser(home)
		with open(sys.argv[2], 'w') as out:
			for line in open(sys.argv[1]):
				words = line.rstrip('\n').split(' ', 2)
				if words[0] == 'goto':
					b.events = []
					b.call('Page.navigate', session=True, url=words[1])
					b.wait_load()
				elif words[0] == 'fill':
					b.eval('document.forms[0].elements[%s].value = %s' %
					       (json.dumps(words[1]),
						json.dumps(words[2] if len(words) > 2 else '')))
					continue
				elif words[0] == 'check':
					b.eval('Array.from(document.forms[0].elements).filter('
					       'e => e.name === %s && e.value === %s)[0]'
					       '.checked = true' %
					       (json.dumps(words[1]), json.dumps(words[2])))
					continue
				elif words[0] == 'upload':
					text = open(words[2], encoding='utf-8').read()
					b.eval('(() => { const dt = new DataTransfer(); '
					       'dt.items.add(new File([%s], %s, '
					       '{type: "text/csv"})); '
					       'document.forms[0].elements[%s].files = '
					       'dt.files; })()' %
					       (json.dumps(text),
						json.dumps(os.path.basename(words[2])),
						json.dumps(words[1])))
					continue
				elif words[0] == 'submit':
					b.events = []
					b.eval('document.forms[0].submit()')
					b.wait_load()
				elif words[0] == 'click':
					b.events = []
					b.eval('document.querySelector(%s).click()' %
					       json.dumps(' '.join(words[1:])))
					b.wait_load()
				elif words[0]:
					sys.exit('browser.py: unknown step %r' % words[0])
				else:
					continue
				out.write('== %s\n%s\n' % (
					b.eval('location.href'),
					b.eval('document.documentElement.outerHTML')))
	finally:
		if b:
			b.close()
		shutil.rmtree(home, ignore_errors=True)


main()
