import { Module, type DynamicModule } from '@nestjs/common';
import { defaultConsoleDir } from './console-assets';
import { CONSOLE_DIR, ConsoleRoutes } from './console.routes';

@Module({})
export class ConsoleModule {
  static forRoot(dir = defaultConsoleDir()): DynamicModule {
    return { module: ConsoleModule, providers: [{ provide: CONSOLE_DIR, useValue: dir }, ConsoleRoutes], exports: [ConsoleRoutes] };
  }
}
