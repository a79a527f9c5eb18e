import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A native modal <dialog>: the browser traps focus and Escape closes it. `locked` refuses Escape
 * (the "value shown once" step must not be closed before the user says they copied it).
 */
export function Modal(props: { title: string; onClose: () => void; locked?: boolean; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const locked = useRef(props.locked);
  locked.current = props.locked;
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      if (!locked.current) props.onClose();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => dialog.removeEventListener('cancel', onCancel);
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="dialog-title" class="modal">
      <h2 id="dialog-title">{props.title}</h2>
      {props.children}
    </dialog>
  );
}
