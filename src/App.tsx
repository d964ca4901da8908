/** The app shell: photo intake on the left, the selected photo's analysis on the right. */
export function App() {
  return (
    <main className="app">
      <h1>Quality Lens</h1>
    </main>
  );
}
