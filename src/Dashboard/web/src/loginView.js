// The login form: POST /api/session sets the session cookie; then back to where the user was going.
import { api } from './api.js';
import { clear, h } from './dom.js';

export function loginView(root, { onLogin }) {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, 'aria-label': 'user' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'aria-label': 'password' });
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const form = h('form', { class: 'login', id: 'login' },
    h('h1', {}, 'Log in to StreamMonitor'), h('label', {}, 'User', user), h('label', {}, 'Password', password), error, h('button', { type: 'submit' }, 'Log in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      const session = await api('/api/session', { method: 'POST', body: { user: user.value, password: password.value } });
      await onLogin(session);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  clear(root).append(form);
  user.focus();
  return () => {};
}
