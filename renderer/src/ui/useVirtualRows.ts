import { useCallback, useLayoutEffect, useRef, useState, type UIEvent } from 'react';

// Before the first layout, and in test DOMs that have none, assume a screenful of rows.
const assumedViewportHeight = 600;

/**
 * Fixed-height row virtualisation: which rows of `count` intersect the scrolled viewport (plus
 * `overscan` on each side). Only those are rendered, so thousands of rows cost as much as a screenful.
 */
export function useVirtualRows({
  count,
  rowHeight,
  overscan = 5,
}: {
  count: number;
  rowHeight: number;
  overscan?: number;
}) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [measured, setMeasured] = useState(0);

  useLayoutEffect(() => {
    const element = viewportRef.current;
    if (!element) return;
    const measure = () => setMeasured(element.clientHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', measure);
      return () => window.removeEventListener('resize', measure);
    }
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const viewportHeight = measured > 0 ? measured : assumedViewportHeight;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);

  /** Scrolls just enough to bring row `index` fully into view. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const element = viewportRef.current;
      if (!element) return;
      const top = index * rowHeight;
      let next = element.scrollTop;
      if (top < next) next = top;
      else if (top + rowHeight > next + viewportHeight) next = top + rowHeight - viewportHeight;
      element.scrollTop = next;
      setScrollTop(next);
    },
    [rowHeight, viewportHeight],
  );

  const onScroll = useCallback(
    (event: UIEvent<HTMLElement>) => setScrollTop(event.currentTarget.scrollTop),
    [],
  );

  return {
    viewportRef,
    onScroll,
    first,
    last,
    totalHeight: count * rowHeight,
    /** Rows a PageUp/PageDown moves by. */
    pageSize: Math.max(1, Math.floor(viewportHeight / rowHeight) - 1),
    scrollToIndex,
  };
}
