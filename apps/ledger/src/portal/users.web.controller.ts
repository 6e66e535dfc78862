import { Body, Controller, Get, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ROLES, type Role } from '@netral/domain';
import type { Request, Response } from 'express';
import { ReadSide } from '../compliance/read-side';
import type { ActorContext } from '../identity/actor';
import { Actor } from '../identity/actor.decorator';
import {
  ChangeRoleDto,
  CreateUserDto,
  DeactivateUserDto,
  SetPasswordDto,
} from '../identity/dto/identity.dto';
import { Roles } from '../identity/roles.decorator';
import { CredentialsStore } from '../identity/credentials.store';
import { UserCommands } from '../identity/user.commands';
import { type KnownUser, UserDirectory } from '../identity/user-directory';
import { takeFlash } from './flash';
import {
  answer,
  type FieldErrors,
  type Form,
  formNamed,
  submission,
  type Submission,
  summaryOfForm,
  text,
  validateAs,
} from './form';

const ROLE_OPTIONS: Record<Role, string> = {
  ADMIN: 'Administrator',
  OPD_HEAD: 'Kepala OPD (satu OPD)',
  BAWASLU: 'Bawaslu',
  HR: 'BKPSDM',
};

/** The forms of a user's page: a new role (and OPD), a new password, the deactivation. */
const USER_FORMS = ['peran', 'sandi', 'nonaktif'] as const;
type UserForm = (typeof USER_FORMS)[number];

/** A refused form, shown again: which one, what was typed (never a password), and why. */
interface Failed<F extends string> {
  form: F;
  values: Form;
  errors: FieldErrors;
  message: string;
  status?: number;
}

/**
 * The administrator's user pages: every account with its role and OPD, a new account, and per account a
 * role change, a new password (a forgotten one) and the deactivation. Each form is checked with its API
 * route's DTO and written by the same command (`UserCommands`), so the rules (password policy, one OPD for
 * an OPD head, never the last administrator) and the audit trail are the API's.
 */
@ApiExcludeController()
@Controller()
export class UsersWebController {
  constructor(
    private readonly users: UserCommands,
    private readonly directory: UserDirectory,
    private readonly credentials: CredentialsStore,
    private readonly read: ReadSide,
  ) {}

  @Get('pengguna')
  @Roles('ADMIN')
  list(@Actor() actor: ActorContext, @Req() req: Request, @Res() res: Response) {
    this.renderList(req, res, actor);
  }

  @Post('pengguna')
  @Roles('ADMIN')
  async create(
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const fields = body ?? {};
    const values = {
      username: text(fields, 'username'),
      displayName: text(fields, 'displayName'),
      role: text(fields, 'role'),
      opdId: text(fields, 'opdId'),
    };
    const checked = validateAs(CreateUserDto, {
      username: values.username,
      displayName: values.displayName,
      role: values.role,
      ...(values.opdId ? { opdId: values.opdId } : {}),
      // The password is taken as typed (spaces count) and never shown again.
      password: typeof fields.password === 'string' ? fields.password : '',
    });
    return answer(
      res,
      submission(
        values,
        `Pengguna ${values.username} dibuat. Sampaikan kata sandinya secara langsung, bukan lewat pesan: ` +
          'kata sandi itu sementara, dan ia harus menggantinya saat pertama masuk.',
        checked,
        (dto) => this.users.register(dto, actor, { temporary: true }),
      ),
      () => '/pengguna',
      (errors, message, status) =>
        this.renderList(req, res, actor, { form: 'baru', values, errors, message, status }),
    );
  }

  @Get('pengguna/:userId')
  @Roles('ADMIN')
  detail(
    @Param('userId') userId: string,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    this.renderUser(req, res, actor, this.known(actor, userId));
  }

  /** One of a user's forms; success goes back to the page with a flash, a refusal stays on it. */
  @Post('pengguna/:userId/:form')
  @Roles('ADMIN')
  async submit(
    @Param('userId') userId: string,
    @Param('form') name: string,
    @Body() body: Form | undefined,
    @Actor() actor: ActorContext,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const form = formNamed(USER_FORMS, name);
    const user = this.known(actor, userId);
    const posted = this.submissionOf(form, user, body ?? {}, actor);
    return answer(
      res,
      posted,
      () => `/pengguna/${encodeURIComponent(user.userId)}`,
      (errors, message, status) =>
        this.renderUser(req, res, actor, user, {
          form,
          values: posted.values,
          errors,
          message,
          status,
        }),
    );
  }

  /** What a form's fields mean: the values to show again (never a password), the DTO's verdict, and the
   * command to run. */
  private submissionOf(
    form: UserForm,
    user: KnownUser,
    fields: Form,
    actor: ActorContext,
  ): Submission<unknown> {
    switch (form) {
      case 'peran': {
        const values = { role: text(fields, 'role'), opdId: text(fields, 'opdId') };
        return submission(
          values,
          `Peran ${user.username} diperbarui.`,
          validateAs(ChangeRoleDto, {
            role: values.role,
            ...(values.opdId ? { opdId: values.opdId } : {}),
          }),
          (dto) => this.users.changeRole(user.userId, dto, actor),
        );
      }
      case 'sandi':
        return submission(
          {},
          user.userId === actor.userId
            ? 'Kata sandi Anda diganti; sesi yang masih terbuka berakhir.'
            : `Kata sandi ${user.username} diganti; sesi yang masih terbuka berakhir. Kata sandi itu ` +
                'sementara: ia harus menggantinya saat masuk.',
          validateAs(SetPasswordDto, {
            password: typeof fields.password === 'string' ? fields.password : '',
          }),
          (dto) => this.users.setPassword(user.userId, dto.password, actor),
        );
      case 'nonaktif': {
        const values = { reason: text(fields, 'reason') };
        return submission(
          values,
          `${user.username} dinonaktifkan; sesinya berakhir saat ini juga.`,
          validateAs(DeactivateUserDto, values),
          (dto) => this.users.deactivate(user.userId, dto.reason, actor),
        );
      }
    }
  }

  private known(actor: ActorContext, userId: string): KnownUser {
    const user = this.directory.getFor(actor, userId);
    if (!user) {
      throw new NotFoundException({
        code: 'USER_NOT_FOUND',
        message: `Pengguna ${userId} tidak ditemukan.`,
      });
    }
    return user;
  }

  /** Active OPDs to bind an OPD head to, with `selected` the one given. */
  private opdOptions(actor: ActorContext, selected: unknown) {
    return this.read
      .for(actor)
      .opds()
      .filter((o) => o.status === 'ACTIVE')
      .map((o) => ({
        value: o.opdId,
        label: `${o.name} (${o.code})`,
        selected: o.opdId === selected,
      }));
  }

  private roleOptions(selected: unknown) {
    return ROLES.map((role) => ({
      value: role,
      label: ROLE_OPTIONS[role],
      selected: role === selected,
    }));
  }

  private renderList(req: Request, res: Response, actor: ActorContext, failed?: Failed<'baru'>) {
    const queries = this.read.for(actor);
    const values = failed?.values ?? {};
    res.status(failed ? (failed.status ?? 400) : 200).render('users', {
      title: 'Pengguna',
      flash: takeFlash(req, res),
      users: this.directory.listFor(actor).map((u) => ({
        ...u,
        opdName: u.opdId ? (queries.opd(u.opdId)?.name ?? u.opdId) : '',
        active: u.status === 'active',
        temporaryPassword: this.credentials.passwordState(u.userId).temporary,
      })),
      form: {
        values,
        roles: this.roleOptions(values.role),
        opds: this.opdOptions(actor, values.opdId),
        errors: failed?.errors,
      },
      formError: failed?.message,
      errors: failed?.errors,
    });
  }

  private renderUser(
    req: Request,
    res: Response,
    actor: ActorContext,
    user: KnownUser,
    failed?: Failed<UserForm>,
  ) {
    const errorsOf = (form: UserForm) => (failed?.form === form ? failed.errors : undefined);
    const given = (form: UserForm, key: string, fallback: unknown = '') =>
      failed?.form === form ? failed.values[key] : fallback;
    res.status(failed ? (failed.status ?? 400) : 200).render('user-detail', {
      title: `Pengguna ${user.username}`,
      flash: takeFlash(req, res),
      user: {
        ...user,
        active: user.status === 'active',
        self: user.userId === actor.userId,
        temporaryPassword: this.credentials.passwordState(user.userId).temporary,
        opdName: user.opdId ? (this.read.for(actor).opd(user.opdId)?.name ?? user.opdId) : '',
      },
      peran: {
        roles: this.roleOptions(given('peran', 'role', user.role)),
        opds: this.opdOptions(actor, given('peran', 'opdId', user.opdId ?? '')),
        errors: errorsOf('peran'),
      },
      sandi: { errors: errorsOf('sandi') },
      nonaktif: { values: { reason: given('nonaktif', 'reason') }, errors: errorsOf('nonaktif') },
      formError: failed?.message,
      errors: summaryOfForm(failed),
    });
  }
}
