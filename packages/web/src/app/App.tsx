import { RouterProvider } from '@tanstack/react-router';
import { useState } from 'react';
import { createQueryClient, Providers } from './providers';
import { router } from './router';

export function App() {
  const [client] = useState(createQueryClient);
  return (
    <Providers client={client}>
      <RouterProvider router={router} context={{ queryClient: client }} />
    </Providers>
  );
}
