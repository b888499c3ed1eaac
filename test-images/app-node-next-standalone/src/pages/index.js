export default function Home() {
  return <p>standalone</p>;
}
