/**
 * The shoot as a grid of cells, virtualised with @tanstack/react-virtual: only the rows in view
 * (and a few beyond) are in the DOM, so a shoot of thousands stays as light as one of fifty. Rows
 * rather than single cells are virtualised, as every row has the same height; the number of
 * columns follows the width.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { GridCell } from './GridCell.tsx';

/** Narrowest a cell may be, the gap between cells and a row's height, in CSS pixels. */
const CELL_MIN_WIDTH = 172;
const GAP = 8;
const ROW_HEIGHT = 236;

export function ShootGrid({
  photoIds,
  selectedId,
  onColumns,
  onSelect,
  onOpen,
}: {
  photoIds: readonly string[];
  selectedId: string | null;
  onColumns(columns: number): void;
  onSelect(photoId: string): void;
  onOpen(photoId: string): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const columns = Math.max(1, Math.floor((width + GAP) / (CELL_MIN_WIDTH + GAP)));
  useEffect(() => onColumns(columns), [columns, onColumns]);

  const rows = Math.ceil(photoIds.length / columns);
  // The app is not built with the React Compiler, and the virtualiser's functions are only called
  // during this render and in its effects, so nothing stale is memoised.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT + GAP,
    overscan: 2,
  });

  const selectedIndex = selectedId ? photoIds.indexOf(selectedId) : -1;
  const selectedRow = selectedIndex >= 0 ? Math.floor(selectedIndex / columns) : -1;
  // Keep the selected photo in view when the keys move it, and keep keyboard focus on it.
  useEffect(() => {
    if (selectedRow < 0) return;
    virtualizer.scrollToIndex(selectedRow, { align: 'auto' });
  }, [selectedRow, virtualizer]);
  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    const el = scroller.current;
    if (!el || !selectedId || !el.contains(document.activeElement)) return;
    const cell = el.querySelector<HTMLElement>(`[data-photo-id="${CSS.escape(selectedId)}"]`);
    if (cell && cell !== document.activeElement) cell.focus({ preventScroll: true });
  }, [selectedId, items]);

  return (
    <div
      ref={scroller}
      className="shoot-grid"
      role="grid"
      aria-label="Photos of the shoot"
      aria-rowcount={rows}
      aria-colcount={columns}
      data-testid="shoot-grid"
      data-columns={columns}
      // With no cell focusable yet (nothing selected), the grid itself takes the Tab stop.
      tabIndex={selectedIndex < 0 ? 0 : -1}
    >
      <div className="shoot-grid__sizer" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((row) => {
          const start = row.index * columns;
          const ids = photoIds.slice(start, start + columns);
          return (
            <div
              key={row.key}
              role="row"
              aria-rowindex={row.index + 1}
              className="shoot-grid__row"
              style={{
                transform: `translateY(${row.start}px)`,
                height: ROW_HEIGHT,
                gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              }}
            >
              {ids.map((id, column) => (
                <GridCell
                  key={id}
                  photoId={id}
                  column={column}
                  selected={id === selectedId}
                  onSelect={onSelect}
                  onOpen={onOpen}
                />
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
