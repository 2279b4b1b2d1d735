// Questions the page asks before it throws work away or gives a solution away, as <dialog>
// elements: focus moves in and comes back, Escape answers "no", and the safe answer is the
// default button.

export interface ConfirmOptions {
  title: string;
  body: string;
  confirm: string;
  cancel?: string;
  /** 'danger' styles the confirm button as destructive. */
  tone?: 'danger' | 'normal';
}

export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  const dialog = document.createElement('dialog');
  dialog.className = 'dialog';
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  dialog.setAttribute('aria-labelledby', titleId);
  const title = document.createElement('h2');
  title.id = titleId;
  title.textContent = options.title;
  const body = document.createElement('p');
  body.textContent = options.body;
  const actions = document.createElement('div');
  actions.className = 'dialog-actions';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'btn';
  cancel.textContent = options.cancel ?? 'Cancel';
  const confirm = document.createElement('button');
  confirm.type = 'button';
  confirm.className = `btn ${options.tone === 'danger' ? 'danger' : 'primary'}`;
  confirm.textContent = options.confirm;
  actions.append(cancel, confirm);
  dialog.append(title, body, actions);
  document.body.append(dialog);
  const opener = document.activeElement as HTMLElement | null;
  return new Promise((resolve) => {
    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      opener?.focus?.();
      resolve(answer);
    };
    cancel.addEventListener('click', () => close(false));
    confirm.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    dialog.showModal();
    cancel.focus();
  });
}

/** A short message that goes away by itself (saved, exported, imported). */
export function announce(region: HTMLElement, message: string): void {
  region.textContent = message;
}
