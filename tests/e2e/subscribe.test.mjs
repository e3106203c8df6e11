// A person subscribes through the form in a browser, receives the opt-in mail, confirms it,
// manages their preferences, has their data mailed to them and wipes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { Tidings } from './lib/tidings.mjs';
import { Mailbox } from './lib/mailbox.mjs';

let tidings;
let mailbox;
let browser;

before(async () => {
  mailbox = new Mailbox();
  const smtpPort = await mailbox.listen();
  tidings = await Tidings.start();
  await tidings.api('PUT', '/api/settings', {
    smtp: [{
      enabled: true, host: '127.0.0.1', port: smtpPort, auth_protocol: 'none', username: '',
      password: '', hello_hostname: '', max_conns: 2, idle_timeout: '15s', wait_timeout: '5s',
      max_msg_retries: 2, tls_type: 'none', tls_skip_verify: false, email_headers: [],
    }],
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await tidings?.stop();
  await mailbox?.close();
});

test('subscribe in a browser, confirm the opt-in mail, manage, export and wipe', async () => {
  const news = await tidings.api('POST', '/api/lists',
    { name: 'Weekly <News>', type: 'public', optin: 'double', description: 'Every Monday' });
  const updates = await tidings.api('POST', '/api/lists', { name: 'Product updates', type: 'public', optin: 'single' });
  await tidings.api('POST', '/api/lists', { name: 'Internal', type: 'private', optin: 'single' });

  const page = await browser.newPage();
  await page.goto(`${tidings.root}/subscription/form`);
  // Private lists never appear on the form; list names are escaped, not interpreted.
  assert.equal(await page.locator('input[name=l]').count(), 2);
  assert.match(await page.content(), /Weekly &lt;News&gt;/);
  await page.fill('input[name=email]', 'Reader@Example.com');
  await page.fill('input[name=name]', '<b>Ann</b> Reader');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(await page.textContent('main'), /confirm/i);

  const mail = await mailbox.waitFor((m) => m.envelopeTo.includes('reader@example.com'));
  assert.match(mail.subject, /confirm/i);
  const link = (mail.html || mail.text).match(/https?:\/\/[^"'\s<>]+\/subscription\/optin\/[0-9a-f-]{36}[^"'\s<>]*/);
  assert.ok(link, 'the opt-in mail carries a confirmation link');
  const optinUrl = link[0].replace(/&amp;/g, '&');

  const subscribers = await tidings.api('GET', '/api/subscribers?per_page=all');
  const reader = subscribers.results.find((s) => s.email === 'reader@example.com');
  assert.equal(reader.name, '<b>Ann</b> Reader');
  const statusOf = async (listId) => {
    const s = await tidings.api('GET', `/api/subscribers/${reader.id}`);
    return s.lists.find((l) => l.id === listId)?.subscription_status;
  };
  assert.equal(await statusOf(news.id), 'unconfirmed');
  assert.equal(await statusOf(updates.id), 'confirmed');

  // Opening the link (as a mail scanner would) confirms nothing; pressing the button does.
  await page.goto(optinUrl);
  assert.equal(await statusOf(news.id), 'unconfirmed');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(await page.textContent('main'), /confirmed/i);
  assert.equal(await statusOf(news.id), 'confirmed');

  // Manage page: unsubscribe from one list by unticking it.
  const campaignUuid = '00000000-0000-0000-0000-000000000000';
  await page.goto(`${tidings.root}/subscription/${campaignUuid}/${reader.uuid}`);
  assert.match(await page.content(), /reader@example.com/);
  await page.uncheck(`input[name=l][value="${updates.uuid}"]`);
  await Promise.all([page.waitForNavigation(), page.click('text=Save preferences')]);
  assert.equal(await statusOf(updates.id), 'unsubscribed');
  assert.equal(await statusOf(news.id), 'confirmed');

  // Export: the subscriber's own data is mailed to them as data.json, never shown to whoever
  // holds the link.
  await page.goto(`${tidings.root}/subscription/${campaignUuid}/${reader.uuid}`);
  await Promise.all([page.waitForNavigation(), page.click('text=E-mail me my data')]);
  assert.match(await page.textContent('main'), /e-mailed/i);
  const dataMail = await mailbox.waitFor((m) => m.envelopeTo.includes('reader@example.com')
    && (m.attachments || []).some((a) => a.filename === 'data.json'));
  const attachment = dataMail.attachments.find((a) => a.filename === 'data.json');
  assert.equal(attachment.contentType, 'application/json');
  const exported = JSON.parse(attachment.content.toString('utf8'));
  assert.equal(exported.profile[0].email, 'reader@example.com');
  assert.equal(exported.subscriptions.length, 2);

  // Wipe: the subscriber is gone for good.
  await page.goto(`${tidings.root}/subscription/${campaignUuid}/${reader.uuid}`);
  await Promise.all([page.waitForNavigation(), page.click('text=Delete all my data')]);
  const after = await fetch(`${tidings.root}/api/subscribers/${reader.id}`, { headers: { Authorization: tidings.auth } });
  assert.equal(after.status, 404);
});
