// The smallest page that talks to a sipai agent. Serve this directory and ../dist/ from your site (https, or
// localhost), with an endpoint of your own backend that creates the session (see README.md).
import { SipaiVoiceClient } from '../dist/index.js';

const $ = (id) => document.getElementById(id);
let client = null;

$('call').onclick = async () => {
  client?.close();
  client = new SipaiVoiceClient({ onEvent: show });
  $('transcript').replaceChildren();
  $('state').textContent = 'connecting';
  $('call').disabled = true;
  $('hang-up').disabled = false;
  try {
    await client.startMicrophone(); // in the click: asks for the microphone, lets the audio play
    // Your backend calls POST /v1/realtime/sessions {"agentId": ...} with its API key and returns the answer
    // ({callId, agentId, url, expiresAt}); the API key never reaches the browser.
    const response = await fetch('/talk-session', { method: 'POST' });
    if (!response.ok) throw new Error(`no session (HTTP ${response.status})`);
    const { url, callId, agentId } = await response.json();
    await client.connect({ url, callId, agentId }); // resolves on `connected`
  } catch (e) {
    $('state').textContent = `error: ${e.message}`;
    client.close();
    $('call').disabled = false;
    $('hang-up').disabled = true;
  }
};
$('mute').onclick = () => {
  client.mute(!client.isMuted);
  $('mute').textContent = client.isMuted ? 'Unmute' : 'Mute';
};
$('hang-up').onclick = () => client?.hangUp();
addEventListener('pagehide', () => client?.close()); // releases the microphone

function line(who, text) {
  const li = document.createElement('li');
  li.textContent = `${who}: ${text}`;
  $('transcript').append(li);
}

function show(event) {
  switch (event.type) {
    case 'connected':
      $('state').textContent = `connected (${event.callId})`;
      $('mute').disabled = false;
      break;
    case 'transcript':
      if (event.final) line('You', event.text);
      $('interim').textContent = event.final ? '' : event.text;
      break;
    case 'agent':
      line('Agent', event.text);
      break;
    case 'error':
      $('state').textContent = `error: ${event.code} ${event.message}`;
      break;
    case 'ended':
      $('state').textContent = `ended: ${event.reason} (${event.code})`;
      break;
    case 'closed':
      if (!event.ended && !$('state').textContent.startsWith('error')) {
        $('state').textContent = `connection closed (code ${event.code})`;
      }
      $('call').disabled = false;
      $('mute').disabled = true;
      $('hang-up').disabled = true;
      break;
  }
}
