import { useRef, useState, type DragEvent } from 'react';
import type { MediaKind } from './gql/graphql';
import { describeKinds } from './media-format';
import { acceptAttribute } from './upload-media-types';

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

/**
 * Where uploads start: a button that opens the file chooser (of the accepted types only), and a
 * drop zone for files dragged onto it.
 */
export function UploadPanel({ kinds, onFiles }: { kinds?: readonly MediaKind[] | undefined; onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  // dragenter and dragleave fire for every child crossed: count them to know when the files left.
  const depth = useRef(0);
  const [dragging, setDragging] = useState(false);
  const what = describeKinds(kinds, 'or');
  return (
    <div
      className={`media-dropzone${dragging ? ' media-dropzone-active' : ''}`}
      onDragEnter={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setDragging(true);
      }}
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        depth.current = 0;
        setDragging(false);
        onFiles([...event.dataTransfer.files]);
      }}
    >
      <button type="button" className="primary" onClick={() => input.current?.click()}>
        Upload…
      </button>
      <span className="media-dropzone-hint">or drop {what} here</span>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept={acceptAttribute(kinds)}
        aria-label={`Choose ${what} to upload`}
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
    </div>
  );
}
